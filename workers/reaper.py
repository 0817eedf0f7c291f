"""The reaper: re-dispatches jobs the broker lost and requeues jobs whose worker stopped beating."""
from __future__ import annotations

import logging
from datetime import timedelta

from domain.db import UnitOfWork, utcnow
from domain.errors import DomainError, ErrorCode
from domain.jobs import lifecycle
from domain.jobs import repository as jobs_repo
from domain.jobs.models import QUEUED, RUNNING
from domain.ports import Ports

log = logging.getLogger(__name__)


async def reap(sessionmaker, ports: Ports, *, queued_grace_s: float) -> int:
    """One sweep; returns how many jobs it touched. Safe to run in any number of processes."""
    settings = ports.settings
    now = utcnow()
    to_dispatch = []
    async with UnitOfWork(sessionmaker) as uow:
        stale = await jobs_repo.stale(
            uow.session,
            queued_before=now - timedelta(seconds=queued_grace_s),
            heartbeat_before=now - timedelta(seconds=settings.job_heartbeat_ttl_s),
        )
        for job in stale:
            if job.status == RUNNING:
                if job.attempts >= settings.job_max_attempts:
                    await lifecycle.fail(uow, ports, job, DomainError(
                        f"the job's worker stopped {job.attempts} times; giving up", code=ErrorCode.WORKER_LOST))
                    continue
                await lifecycle.change(uow, ports, job, status=QUEUED)
            to_dispatch.append(job)
        await jobs_repo.mark_dispatched(uow.session, [j.id for j in to_dispatch], now)
    for job in to_dispatch:
        ports.dispatcher.dispatch(job.id, job.kind, job.priority)
    if stale:
        log.info("reaper touched %d job(s)", len(stale))
    return len(stale)

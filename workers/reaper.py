"""The reaper: re-dispatches jobs the broker lost, requeues jobs whose worker stopped beating, aborts abandoned uploads."""
from __future__ import annotations

import logging
from datetime import timedelta

from domain.db import UnitOfWork, utcnow
from domain.errors import DomainError, ErrorCode
from domain.jobs import lifecycle
from domain.jobs import repository as jobs_repo
from domain.jobs.models import QUEUED, RUNNING
from domain.ports import Ports
from domain.uploads import service as uploads

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


async def sweep_uploads(sessionmaker, ports: Ports, *, ttl_s: float, batch: int = 100) -> int:
    """Abort uploads begun more than `ttl_s` ago and never finished, at most `batch` rows and `batch` orphans a sweep;
    returns how many it aborted. Rows change in one short transaction; storage is called after it commits."""
    started_before = utcnow() - timedelta(seconds=ttl_s)
    async with UnitOfWork(sessionmaker) as uow:
        closed = await uploads.close_abandoned(uow, started_before=started_before, limit=batch)
    aborted = {(c.key, c.upload_id) for c in closed}
    # Staged uploads no row names (a start whose transaction rolled back, an abort that failed) go too; the margin
    # leaves alone an upload whose row is still being written.
    orphans = await ports.storage.stale_uploads(started_before - timedelta(seconds=min(ttl_s, 3600)), batch)
    for key, upload_id in sorted(aborted | set(orphans)):
        try:
            await ports.storage.abort_multipart(key, upload_id)
        except Exception:  # the next sweep finds it again among the orphans
            log.warning("aborting upload %s failed", upload_id, exc_info=True)
    if aborted or orphans:
        log.info("upload sweeper aborted %d upload(s), %d without a row", len(aborted | set(orphans)),
                 len(set(orphans) - aborted))
    return len(aborted | set(orphans))

"""The reaper: requeues jobs whose worker stopped beating (the outbox sends them again), aborts abandoned uploads."""
from __future__ import annotations

import logging
from datetime import timedelta

from domain.db import UnitOfWork, utcnow
from domain.errors import DomainError, ErrorCode
from domain.jobs import lifecycle
from domain.jobs import repository as jobs_repo
from domain.jobs.models import QUEUED
from domain.ports import Ports
from domain.uploads import service as uploads

log = logging.getLogger(__name__)


async def reap(sessionmaker, ports: Ports) -> int:
    """One sweep; returns how many jobs it touched. Safe to run in any number of processes. (Queued jobs the broker
    never got, or lost, are the dispatch outbox's: workers/outbox.py.)"""
    return await reap_running(sessionmaker, ports)


async def reap_running(sessionmaker, ports: Ports) -> int:
    """Running jobs whose worker stopped beating go back to the queue (dispatched_at cleared, so they are sent
    again), or fail with WORKER_LOST once their attempts are spent; running jobs past their deadline fail with
    DEADLINE_EXCEEDED. Each batch is one transaction over rows locked SKIP LOCKED: concurrent reapers share the work."""
    settings = ports.settings
    touched = 0
    while True:
        now = utcnow()
        async with UnitOfWork(sessionmaker) as uow:
            expired = await jobs_repo.expired_running(
                uow.session, now=now, heartbeat_before=now - timedelta(seconds=settings.job_heartbeat_ttl_s),
                limit=settings.reaper_batch)
            for job in expired:
                if job.deadline_at is not None and job.deadline_at < now:
                    # The deadline its claimer set (from that worker's JOB_DEADLINES), not this process's setting.
                    at = job.deadline_at.isoformat(timespec="seconds")
                    error = DomainError(f"the job ran past its deadline ({at}) for {job.kind}",
                                        code=ErrorCode.DEADLINE_EXCEEDED)
                    await lifecycle.fail(uow, ports, job, error)
                elif job.attempts >= settings.job_max_attempts:
                    await lifecycle.fail(uow, ports, job, DomainError(
                        f"the job's worker stopped {job.attempts} times; giving up", code=ErrorCode.WORKER_LOST))
                else:
                    await lifecycle.change(uow, ports, job, status=QUEUED)
        touched += len(expired)
        if expired:
            log.info("reaper took back %d running job(s)", len(expired))
        if len(expired) < settings.reaper_batch:
            return touched


async def sweep_uploads(sessionmaker, ports: Ports, *, ttl_s: float, batch: int = 100) -> int:
    """Abort uploads begun more than `ttl_s` ago and never finished, at most `batch` rows and `batch` orphans a sweep;
    returns how many it aborted. Rows change in one short transaction; storage is called after it commits."""
    started_before = utcnow() - timedelta(seconds=ttl_s)
    async with UnitOfWork(sessionmaker) as uow:
        closed = await uploads.close_abandoned(uow, started_before=started_before, limit=batch)
    aborted = {(c.key, c.upload_id) for c in closed}
    # Staged uploads no row names (a start whose transaction rolled back, an abort that failed) go too; the margin
    # leaves alone an upload whose row is still being written.
    orphans = await uploads.unnamed(sessionmaker, await ports.storage.stale_uploads(
        started_before - timedelta(seconds=min(ttl_s, 3600)), batch))
    for key, upload_id in sorted(aborted | set(orphans)):
        try:
            await ports.storage.abort_multipart(key, upload_id)
        except Exception:  # the next sweep finds it again among the orphans
            log.warning("aborting upload %s failed", upload_id, exc_info=True)
    if aborted or orphans:
        log.info("upload sweeper aborted %d upload(s), %d without a row", len(aborted | set(orphans)),
                 len(set(orphans) - aborted))
    return len(aborted | set(orphans))

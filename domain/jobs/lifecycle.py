"""The one function that changes a job's state; it also publishes the job's event after commit."""
from __future__ import annotations

from sqlalchemy.orm.exc import StaleDataError

from domain.db import UnitOfWork, utcnow
from domain.errors import Conflict, DomainError
from domain.events import log as events
from domain.jobs.models import CANCELLED, COMPLETED, FAILED, QUEUED, RUNNING, TERMINAL, Job
from domain.jobs.snapshot import JobSnapshot
from domain.ports import Ports
from domain.webhooks import service as webhooks

_UNSET = object()
_ALLOWED = {
    QUEUED: {QUEUED, RUNNING, CANCELLED, FAILED},
    RUNNING: {RUNNING, COMPLETED, FAILED, QUEUED, CANCELLED},
}


async def change(
    uow: UnitOfWork,
    ports: Ports,
    job: Job,
    *,
    status: str | None = None,
    stage=_UNSET,
    progress: int | None = None,
    result=_UNSET,
    error: DomainError | None = None,
    provider=_UNSET,
) -> JobSnapshot:
    """Apply one transition or progress step; progress never goes back, terminal states never move.

    The write is a compare-and-set on `version` (the mapper's version_id_col): if another process changed the job
    since it was read, this raises Conflict and the caller's transaction rolls back, so the version never moves back.
    After commit the job's event is published; a job with a webhook also gets its delivery written here,
    in the same transaction, and sent once that commits.
    """
    now = utcnow()
    if status is not None and status != job.status:
        if job.status in TERMINAL or status not in _ALLOWED.get(job.status, ()):
            raise Conflict(f"job {job.id} is {job.status} and cannot become {status}")
        job.status = status
        if status == RUNNING and job.processed_at is None:
            job.processed_at = now
        if status == QUEUED:  # back in line: no holder, and the dispatcher (or its sweeper) sends it again
            job.progress, job.stage, job.processed_at = 0, None, None
            job.claimed_by = job.heartbeat_at = job.deadline_at = job.dispatched_at = None
        if status in TERMINAL:
            job.completed_at = now
            job.heartbeat_at = None
        if status == COMPLETED:
            job.progress = 100
    if stage is not _UNSET:
        job.stage = stage
    if progress is not None and job.status == RUNNING:
        job.progress = max(job.progress, min(100, int(progress)))
    if result is not _UNSET:
        job.result = result
    if provider is not _UNSET:
        job.provider = provider
    if error is not None:
        job.error_code, job.error_message = error.code.value, error.message
    if status == CANCELLED and job.error_code is None:
        job.error_code, job.error_message = "CANCELLED", "cancelled by request"
    job.version += 1
    ident = job.id  # a failed flush expires the row: read nothing from it afterwards
    try:
        await uow.session.flush()
    except StaleDataError as exc:
        raise Conflict(f"job {ident} was changed by another process; try again") from exc
    snapshot = JobSnapshot.of(job)
    events.record(uow, ports, snapshot)
    if job.webhook and job.version > 1:  # creation itself is not an event the caller is told about
        webhooks.enqueue(uow, snapshot, ports.dispatcher.deliver_webhook)
    return snapshot


async def fail(uow: UnitOfWork, ports: Ports, job: Job, error: DomainError) -> JobSnapshot:
    return await change(uow, ports, job, status=FAILED, error=error)

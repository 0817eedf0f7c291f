"""Running one job: claim it, mark it running, hand it to its handler, finish or fail it. Idempotent."""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from domain.db import UnitOfWork, utcnow
from domain.errors import DomainError, ErrorCode
from domain.jobs import lifecycle
from domain.jobs import repository as jobs_repo
from domain.jobs.models import COMPLETED, RUNNING, TERMINAL, Job
from domain.jobs.snapshot import JobSnapshot
from domain.usage import service as usage
from workers.runtime import WorkerRuntime

log = logging.getLogger(__name__)


class JobContext:
    """What a handler gets: the job as claimed, progress reporting, and completion in its own transaction."""

    def __init__(self, runtime: WorkerRuntime, job: JobSnapshot, token: str):
        self.runtime = runtime
        self.ports = runtime.ports
        self.job = job
        self.token = token
        self.completed = False

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.runtime.sessionmaker)

    async def load(self, uow: UnitOfWork) -> Job:
        job = await jobs_repo.get_unscoped(uow.session, self.job.id)
        if job is None:
            raise DomainError("job vanished while running", code=ErrorCode.NOT_FOUND)
        return job

    async def progress(self, percent: int, stage: str | None = None) -> None:
        async with self.uow() as uow:
            job = await self.load(uow)
            if job.status != RUNNING or job.claimed_by != self.token:
                raise DomainError("job is no longer ours", code=ErrorCode.CONFLICT)
            job.heartbeat_at = utcnow()
            changes = {"progress": percent}
            if stage is not None:
                changes["stage"] = stage
            await lifecycle.change(uow, self.ports, job, **changes)

    async def complete(self, uow: UnitOfWork, result: dict, *, usage_quantity: float = 0.0, unit: str = "second",
                       usage_details: dict | None = None) -> None:
        """Mark completed inside the handler's own transaction, so outputs and status land together."""
        job = await self.load(uow)
        await usage.record(uow.session, job, usage_quantity, unit, usage_details)
        await lifecycle.change(uow, self.ports, job, status=COMPLETED, result=result, stage=None)
        self.completed = True


Handler = Callable[[JobContext], Awaitable[None]]
FailureHook = Callable[[UnitOfWork, Job], Awaitable[None]]
HANDLERS: dict[str, tuple[Handler, FailureHook | None]] = {}


def handles(kind: str, on_failure: FailureHook | None = None):
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = (fn, on_failure)
        return fn

    return register


async def _claim(runtime: WorkerRuntime, job_id: uuid.UUID, token: str) -> JobSnapshot | None:
    settings = runtime.settings
    async with UnitOfWork(runtime.sessionmaker) as uow:
        job = await jobs_repo.get_unscoped(uow.session, job_id)
        if job is None or job.status in TERMINAL:
            return None  # redelivery of finished work: nothing to do
        now = utcnow()
        stale = now - timedelta(seconds=settings.job_heartbeat_ttl_s)
        if not await jobs_repo.claim(uow.session, job_id, token, now, stale):
            return None  # another worker holds it
        job = await jobs_repo.get_unscoped(uow.session, job_id)
        return await lifecycle.change(uow, runtime.ports, job, status=RUNNING, stage="starting")


async def _heartbeat(runtime: WorkerRuntime, job_id: uuid.UUID, token: str) -> None:
    interval = max(1.0, runtime.settings.job_heartbeat_ttl_s / 4)
    while True:
        await asyncio.sleep(interval)
        try:
            async with UnitOfWork(runtime.sessionmaker) as uow:
                await jobs_repo.heartbeat(uow.session, job_id, token, utcnow())
        except Exception:
            log.warning("heartbeat for job %s failed", job_id, exc_info=True)


async def _fail(runtime: WorkerRuntime, job_id: uuid.UUID, token: str, error: DomainError, hook: FailureHook | None) -> None:
    async with UnitOfWork(runtime.sessionmaker) as uow:
        job = await jobs_repo.get_unscoped(uow.session, job_id)
        if job is None or job.status in TERMINAL or job.claimed_by != token:
            return
        if hook is not None:
            await hook(uow, job)
        await lifecycle.fail(uow, runtime.ports, job, error)


async def run_job(runtime: WorkerRuntime, job_id: str) -> None:
    token = uuid.uuid4().hex
    ident = uuid.UUID(job_id)
    snapshot = await _claim(runtime, ident, token)
    if snapshot is None:
        return
    handler, hook = HANDLERS.get(snapshot.kind, (None, None))
    if handler is None:
        await _fail(runtime, ident, token, DomainError(f"no handler for job kind {snapshot.kind}",
                                                       code=ErrorCode.NOT_SUPPORTED), None)
        return
    context = JobContext(runtime, snapshot, token)
    beat = asyncio.get_running_loop().create_task(_heartbeat(runtime, ident, token))
    try:
        await handler(context)
        if not context.completed:
            raise DomainError("handler finished without a result", code=ErrorCode.INTERNAL)
    except DomainError as error:
        await _fail(runtime, ident, token, error, hook)
    except Exception:
        # The client sees a stable code and message; the trace stays in the worker's log.
        log.exception("job %s (%s) crashed", job_id, snapshot.kind)
        await _fail(runtime, ident, token, DomainError("internal error while processing the job",
                                                       code=ErrorCode.INTERNAL), hook)
    finally:
        beat.cancel()

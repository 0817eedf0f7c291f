"""Running one job: claim it, mark it running, hand it to its handler under its deadline, finish or fail it.

Idempotent: a duplicate message finds the job claimed or finished and does nothing. A worker keeps its claim by
beating; once the claim is gone (reclaimed after a missed beat, cancelled, past its deadline) the worker stops the
handler, and anything it still tries to write is refused by the claim token and the version compare-and-set."""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from domain.db import UnitOfWork, utcnow
from domain.errors import Conflict, DomainError, ErrorCode
from domain.jobs import lifecycle
from domain.jobs import repository as jobs_repo
from domain.jobs.models import COMPLETED, RUNNING, Job
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
        self.lost = False  # set once the heartbeat finds the claim gone
        # Handlers report progress from their threads without waiting for it (run_coroutine_threadsafe): completion
        # waits for those in flight and stops new ones, or one would commit between completion's read of the job and
        # its write, and the version compare-and-set would refuse the completion.
        self.finishing = False
        self._reporting = 0
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._turn = asyncio.Lock()  # one progress step at a time: two would race under the version check

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.runtime.sessionmaker)

    async def load(self, uow: UnitOfWork) -> Job:
        """The job row, as long as it is still this worker's claim; otherwise Conflict, and the handler's
        transaction (its outputs) rolls back."""
        job = await jobs_repo.get_unscoped(uow.session, self.job.id)
        if job is None:
            raise DomainError("job vanished while running", code=ErrorCode.NOT_FOUND)
        if job.claimed_by != self.token:
            raise Conflict(f"job {job.id} is no longer this worker's (it was reclaimed or cancelled)")
        return job

    async def _running(self, uow: UnitOfWork) -> Job:
        job = await self.load(uow)
        if job.status != RUNNING:
            raise Conflict(f"job {job.id} is {job.status}, no longer running here")
        return job

    async def progress(self, percent: int, stage: str | None = None) -> None:
        if self.finishing:
            return  # the job is being completed: a late progress step has nothing left to say
        self._reporting += 1
        self._quiet.clear()
        try:
            async with self._turn:
                await self._progress(percent, stage)
        finally:
            self._reporting -= 1
            if not self._reporting:
                self._quiet.set()

    async def _progress(self, percent: int, stage: str | None) -> None:
        async with self.uow() as uow:
            job = await self._running(uow)
            job.heartbeat_at = utcnow()
            changes = {"progress": percent}
            if stage is not None:
                changes["stage"] = stage
            await lifecycle.change(uow, self.ports, job, **changes)

    async def complete(self, uow: UnitOfWork, result: dict, *, usage_quantity: float = 0.0, unit: str = "second",
                       usage_details: dict | None = None) -> None:
        """Mark completed inside the handler's own transaction, so outputs, usage and status land together or not
        at all: a worker whose claim was lost gets Conflict here and its outputs roll back."""
        self.finishing = True
        await self._quiet.wait()
        try:
            job = await self._running(uow)
            await usage.record(uow.session, job, usage_quantity, unit, usage_details)
            await lifecycle.change(uow, self.ports, job, status=COMPLETED, result=result, stage=None)
        except BaseException:
            self.finishing = False  # not completed: a later write is refused loudly again, never dropped quietly
            raise
        self.completed = True


Handler = Callable[[JobContext], Awaitable[None]]
FailureHook = Callable[[UnitOfWork, Job], Awaitable[None]]
HANDLERS: dict[str, tuple[Handler, FailureHook | None]] = {}


def handles(kind: str, on_failure: FailureHook | None = None):
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = (fn, on_failure)
        return fn

    return register


async def claim(runtime: WorkerRuntime, job_id: uuid.UUID, token: str) -> JobSnapshot | None:
    settings = runtime.settings
    try:
        async with UnitOfWork(runtime.sessionmaker) as uow:
            now = utcnow()
            job = await jobs_repo.claim(uow.session, job_id, token, now,
                                        stale_before=now - timedelta(seconds=settings.job_heartbeat_ttl_s),
                                        max_attempts=settings.job_max_attempts)
            if job is None:
                return None  # finished (a redelivery), held by another worker, or its attempts spent (the reaper's)
            job.deadline_at = now + timedelta(seconds=settings.deadline_s(job.kind))
            return await lifecycle.change(uow, runtime.ports, job, status=RUNNING, stage="starting")
    except Conflict:
        return None  # cancelled or taken between our read and our write


async def _heartbeat(runtime: WorkerRuntime, context: JobContext, work: asyncio.Future) -> None:
    interval = max(0.2, runtime.settings.job_heartbeat_ttl_s / 5)
    while True:
        await asyncio.sleep(interval)
        try:
            async with UnitOfWork(runtime.sessionmaker) as uow:
                ours = await jobs_repo.heartbeat(uow.session, context.job.id, context.token, utcnow())
        except Exception:
            log.warning("heartbeat for job %s failed", context.job.id, exc_info=True)
            continue
        if not ours:
            if context.completed:
                # Our own completion committed (or is committing): the handler's after-commit callbacks (events,
                # dispatch of follow-up jobs) still run, so it is not cancelled.
                return
            # Reclaimed, finished elsewhere or past its deadline: whatever the handler still writes would be refused.
            context.lost = True
            work.cancel()
            return


async def _within_deadline(handler: Handler, context: JobContext, seconds: float) -> None:
    try:
        async with asyncio.timeout(seconds) as limit:
            await handler(context)
    except TimeoutError as exc:
        if not limit.expired():
            raise  # a timeout of the handler's own
        raise DomainError(f"the job ran past its deadline of {seconds:g} s for {context.job.kind}",
                          code=ErrorCode.DEADLINE_EXCEEDED) from exc


async def fail(runtime: WorkerRuntime, job_id: uuid.UUID, token: str, error: DomainError,
               hook: FailureHook | None) -> None:
    """Fail the job if it is still this claim's; a job reclaimed meanwhile keeps its new holder."""
    try:
        async with UnitOfWork(runtime.sessionmaker) as uow:
            job = await jobs_repo.get_unscoped(uow.session, job_id)
            if job is None or job.status != RUNNING or job.claimed_by != token:
                log.info("job %s is no longer this worker's; its outcome (%s) is discarded", job_id, error.code.value)
                return
            if hook is not None:
                await hook(uow, job)
            await lifecycle.fail(uow, runtime.ports, job, error)
    except Conflict:
        log.info("job %s changed while failing it; its outcome (%s) is discarded", job_id, error.code.value)


async def run_job(runtime: WorkerRuntime, job_id: str, token: str | None = None) -> None:
    """Claim the job under `token` (InFlight names it, to release only its own claims) and run its handler."""
    token = token or uuid.uuid4().hex
    ident = uuid.UUID(job_id)
    snapshot = await claim(runtime, ident, token)
    if snapshot is None:
        log.info("job %s not claimed: finished, held by another worker, or out of attempts", job_id)
        return
    handler, hook = HANDLERS.get(snapshot.kind, (None, None))
    if handler is None:
        await fail(runtime, ident, token, DomainError(f"no handler for job kind {snapshot.kind}",
                                                       code=ErrorCode.NOT_SUPPORTED), None)
        return
    context = JobContext(runtime, snapshot, token)
    loop = asyncio.get_running_loop()
    work = loop.create_task(_within_deadline(handler, context, runtime.settings.deadline_s(snapshot.kind)))
    beat = loop.create_task(_heartbeat(runtime, context, work))
    try:
        await work
        if not context.completed:
            raise DomainError("handler finished without a result", code=ErrorCode.INTERNAL)
    except asyncio.CancelledError:
        if not context.lost:
            raise  # the process is stopping
        log.warning("job %s was taken from this worker (reclaimed, cancelled or past its deadline); work discarded",
                    job_id)
    except DomainError as error:
        await fail(runtime, ident, token, error, hook)
    except Exception:
        # The client sees a stable code and message; the trace stays in the worker's log.
        log.exception("job %s (%s) crashed", job_id, snapshot.kind)
        await fail(runtime, ident, token, DomainError("internal error while processing the job",
                                                       code=ErrorCode.INTERNAL), hook)
    finally:
        beat.cancel()

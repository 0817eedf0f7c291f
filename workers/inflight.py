"""The jobs this process is running: each runs with its job id, kind and originating request id bound in its logs,
and on shutdown the ones still running after the grace period are stopped and handed back to the queue."""
from __future__ import annotations

import asyncio
import time
import uuid

import structlog

from domain import outbox
from domain.db import UnitOfWork
from domain.errors import Conflict
from domain.jobs import lifecycle
from domain.jobs import repository as jobs_repo
from domain.jobs.models import QUEUED, RUNNING
from domain.observability import logs
from domain.observability import repository as ops_repo
from workers.runtime import WorkerRuntime

log = logs.get("mediagraph.jobs")


class InFlight:
    """Wraps `run_job` for the actors; all of it runs on the worker runtime's one event loop."""

    def __init__(self, run_job):
        self.run_job = run_job
        self.tasks: dict[str, asyncio.Task] = {}
        self.tokens: dict[str, str] = {}  # job id -> the claim this process holds on it
        self.releasing = False

    async def run(self, runtime: WorkerRuntime, job_id: str) -> None:
        async with UnitOfWork(runtime.sessionmaker) as uow:
            kind, request_id = await ops_repo.job_origin(uow.session, uuid.UUID(job_id))
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(job_id=job_id, kind=kind, request_id=request_id):
            log.info("job message taken")
            self.tasks[job_id] = asyncio.current_task()
            try:
                self.tokens[job_id] = token = uuid.uuid4().hex  # the claim run_job takes, if it gets one
                await self.run_job(runtime, job_id, token)
            except asyncio.CancelledError:
                if not self.releasing:
                    raise
                # Stopped by `release`, which requeues the job itself: the broker's message is done with.
            finally:
                self.tasks.pop(job_id, None)
                self.tokens.pop(job_id, None)
                log.info("job message done", seconds=round(time.perf_counter() - started, 3))

    async def release(self, runtime: WorkerRuntime) -> list[str]:
        """Stop what is still running and put each of its jobs back in the queue for another worker.

        The handlers are cancelled first and awaited, so no write of theirs can land after the release; a job
        that finished meanwhile is left as it is. The release does not count as one of the job's attempts."""
        self.releasing = True
        running, tokens = dict(self.tasks), dict(self.tokens)
        for task in running.values():
            task.cancel()
        await asyncio.gather(*running.values(), return_exceptions=True)
        released = []
        for job_id in running:
            try:
                async with UnitOfWork(runtime.sessionmaker) as uow:
                    job = await jobs_repo.get_unscoped(uow.session, uuid.UUID(job_id))
                    # Only a claim this process still holds: a job reclaimed by another worker meanwhile is theirs.
                    if job is None or job.status != RUNNING or job.claimed_by != tokens.get(job_id):
                        continue
                    job.claimed_by, job.heartbeat_at, job.dispatched_at = None, None, None
                    job.attempts = max(0, job.attempts - 1)
                    await lifecycle.change(uow, runtime.ports, job, status=QUEUED)
                    outbox.send_job(uow, runtime.ports.dispatcher, job.id, job.kind, job.priority)
            except Conflict:  # cancelled (its asset deleted...) meanwhile: it is someone else's now; release the rest
                log.info("job changed while releasing it; left as it is", job_id=job_id)
                continue
            released.append(job_id)
            log.warning("job released at shutdown", job_id=job_id)
        return released

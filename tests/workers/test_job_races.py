"""Concurrent changes to one job end in a right outcome: a user's deletion racing a worker's progress step succeeds on
the fresh row instead of answering CONFLICT, the reconciler skips a job a worker is writing instead of failing its
whole sweep, a MediaPitch worker's report lands after our runner's step instead of failing, a task runner that lost
its claim adds no children, our own completion is not cancelled by the heartbeat that finds it, and a worker shutting
down still releases its other jobs when one was cancelled meanwhile. Each race is staged by holding one side's write
open in its own transaction (PostgreSQL waits on the row, SQLite on the database) while the other side runs, then
committing it."""
from __future__ import annotations

import asyncio
import dataclasses
import uuid

import pytest

from app import _create_key
from domain.db import UnitOfWork
from domain.errors import Conflict
from domain.jobs import lifecycle
from domain.jobs import repository as jobs_repo
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.jobs.snapshot import JobSnapshot
from domain.tenancy import service as tenancy
from tests.conftest import new_tenant
from tests.factories import queued_jobs
from tests.harness import gql
from tests.rest_compat.helpers import bearer
from tests.workers.by_hand import Database, LosingBroker, Worker
from workers import runner
from workers.handlers import submission
from workers.inflight import InFlight
from workers.reconciler import reconcile

CREATE = "mutation { createAsset(input: {filename: \"race.mp4\"}) { asset { id } errors { code message } } }"
DELETE = "mutation($id: ID!) { deleteAsset(input: {id: $id}) { deletedId errors { code message } } }"


@pytest.fixture
def worker(server):
    made = Worker(server)
    yield made
    made.close()


async def queued_probe(db: Database, server, key: str, asset_id: str | None, named: str | None = None) -> uuid.UUID:
    """A probe job as the service writes it (for `asset_id`, or naming `named` in its input only), never dispatched."""
    held = dataclasses.replace(server.runtime.ports, dispatcher=LosingBroker())
    async with UnitOfWork(db.sessionmaker) as uow:
        viewer = await tenancy.authenticate(uow.session, key)
        job = await jobs.create(uow, held, viewer, kind="probe", asset_id=uuid.UUID(asset_id) if asset_id else None,
                                input={"asset_id": named or asset_id})
        return job.id


class HeldStep:
    """A worker's progress step written and not yet committed: the row (or database) stays locked until `commit`."""

    def __init__(self, db: Database, server, job_id: uuid.UUID):
        self.uow = UnitOfWork(db.sessionmaker)
        self.ports, self.job_id = server.runtime.ports, job_id
        self.version: int | None = None

    async def open(self) -> None:
        job = await self.uow.session.get(Job, self.job_id, populate_existing=True)
        snapshot = await lifecycle.change(self.uow, self.ports, job, progress=40, stage="held")
        self.version = snapshot.version

    async def commit(self) -> None:
        try:
            await self.uow.commit()
        finally:
            await self.uow.close()


async def test_deleting_an_asset_whose_job_is_committing_a_step_cancels_the_fresh_job(client, server, tenant, db,
                                                                                       worker):
    created = (await gql(client, tenant.key, CREATE))["data"]["createAsset"]
    asset_id = created["asset"]["id"]
    job_id = await queued_probe(db, server, tenant.key, asset_id)
    assert await worker.call(runner.claim, worker.runtime, job_id, "racing") is not None
    step = HeldStep(db, server, job_id)
    await step.open()
    deleting = asyncio.create_task(gql(client, tenant.key, DELETE, {"id": asset_id}))
    await asyncio.sleep(1)  # let the deletion reach the job (it waits on the step either way)
    await step.commit()
    payload = (await asyncio.wait_for(deleting, 120))["data"]["deleteAsset"]
    assert payload["errors"] == [] and payload["deletedId"] == asset_id
    job = await db.job(job_id)
    # The worker's step stands and the cancel came after it: nothing was overwritten, nothing moved back.
    assert (job.status, job.error_code, job.stage, job.version) == ("cancelled", "CANCELLED", "held", step.version + 1)
    # The worker, now told its claim is gone, writes nothing more.
    context = runner.JobContext(worker.runtime, JobSnapshot.of(job), "racing")
    with pytest.raises(Conflict):
        await worker.call(context.progress, 60)
    assert (await db.job(job_id)).version == job.version


async def test_the_reconciler_skips_a_job_being_written_and_cancels_it_on_a_later_sweep(server, tenant, db, worker):
    gone = str(uuid.uuid4())  # an asset that no longer exists: its jobs are orphans
    idle = await queued_probe(db, server, tenant.key, None, named=gone)
    for _ in range(5):  # the server's own reconciler may cancel a fresh orphan before this worker claims it
        busy = await queued_probe(db, server, tenant.key, None, named=gone)
        if await worker.call(runner.claim, worker.runtime, busy, "busy") is not None:
            break
    else:
        raise AssertionError("every orphan probe was cancelled before it could be claimed")
    step = HeldStep(db, server, busy)
    await step.open()
    sweeping = asyncio.ensure_future(worker.call(reconcile, worker.runtime.sessionmaker, worker.runtime.ports))
    await asyncio.sleep(1)
    await step.commit()
    await asyncio.wait_for(sweeping, 120)  # the sweep itself never fails on the row being written
    assert (await db.job(idle)).status == "cancelled"
    after = await db.job(busy)
    assert after.version >= step.version and after.stage == "held"  # the worker's step was not overwritten
    await worker.call(reconcile, worker.runtime.sessionmaker, worker.runtime.ports)
    ended = await db.job(busy)
    assert (ended.status, ended.error_code, ended.version) == ("cancelled", "CANCELLED", step.version + 1)



def handler_until_stopped(claimed: list):
    """Stands in for a long handler: claims its job under InFlight's token as `run_job` does, never ends."""
    async def handler(runtime, job_id: str, token: str) -> None:
        claimed.append(await runner.claim(runtime, uuid.UUID(job_id), token))
        await asyncio.Event().wait()
    return handler


async def running(worker, job_ids: list) -> InFlight:
    """The jobs claimed and running (never ending) in the worker's InFlight, as a worker's actors run them."""
    claimed: list = []
    inflight = InFlight(handler_until_stopped(claimed))

    async def start() -> None:
        for job_id in job_ids:
            asyncio.get_running_loop().create_task(inflight.run(worker.runtime, str(job_id)))
        while len(claimed) < len(job_ids):
            await asyncio.sleep(0.05)

    await worker.call(start)
    assert all(claimed)
    return inflight


async def test_a_shutdown_release_leaves_a_job_another_worker_reclaimed(server, tenant, db, worker):
    # This worker stalled past the heartbeat TTL and the reaper gave its job to another worker, which holds it now:
    # the stalled worker's shutdown must not put that worker's running job back in the queue.
    mine, taken = [await queued_probe(db, server, tenant.key, None) for _ in range(2)]
    inflight = await running(worker, [mine, taken])
    async with UnitOfWork(db.sessionmaker) as uow:
        job = await uow.session.get(Job, taken, populate_existing=True)
        job.claimed_by = "another-worker"
    assert await worker.call(inflight.release, worker.runtime) == [str(mine)]
    other = await db.job(taken)
    assert (other.status, other.claimed_by) == ("running", "another-worker")
    back = await db.job(mine)
    assert (back.status, back.claimed_by) == ("queued", None)


async def test_a_shutdown_release_skips_a_job_cancelled_meanwhile_and_releases_the_rest(server, tenant, db, worker):
    # Probes naming no asset: one naming a missing asset would be the reconciler's to cancel (every few seconds),
    # and under load it did so before this test's worker claimed it.
    cancelled, other = [await queued_probe(db, server, tenant.key, None) for _ in range(2)]
    inflight = await running(worker, [cancelled, other])
    # The first job's asset is being deleted: its cancel is written, not yet committed, as the worker shuts down.
    cancelling = UnitOfWork(db.sessionmaker)
    job = await cancelling.session.get(Job, cancelled, populate_existing=True)
    await lifecycle.change(cancelling, server.runtime.ports, job, status="cancelled")
    releasing = asyncio.ensure_future(worker.call(inflight.release, worker.runtime))
    await asyncio.sleep(1)
    await cancelling.commit()
    await cancelling.close()
    assert await asyncio.wait_for(releasing, 120) == [str(other)]
    assert (await db.job(cancelled)).status == "cancelled"
    back = await db.job(other)
    assert (back.status, back.claimed_by, back.attempts) == ("queued", None, 0)


async def test_a_processing_workers_report_racing_our_runners_step_completes_the_task(client, server, db, worker):
    owner = await new_tenant(server)
    [task] = await queued_jobs(server, owner.key, "submission", 1, label="Transcribe")
    assert await worker.call(runner.claim, worker.runtime, task, "ours") is not None
    reporter = await _create_key(server.settings, owner.name, False, worker=True)
    step = HeldStep(db, server, task)
    await step.open()
    reporting = asyncio.create_task(client.post(f"/api/v1/tasks/{task}/results", headers=bearer(reporter),
                                                json={"status": "completed", "result": [{"summary": "theirs"}]}))
    await asyncio.sleep(1)
    await step.commit()
    answer = await asyncio.wait_for(reporting, 120)
    assert answer.status_code == 200, answer.text
    done = await db.job(task)
    assert (done.status, done.version) == ("completed", step.version + 1)
    assert done.result["payload"] == [{"summary": "theirs"}]


async def test_a_heartbeat_after_our_own_completion_leaves_the_handler_to_finish(server, tenant, db):
    """The beat that finds the job completed (by this worker, its after-commit events and dispatches still running)
    stops beating; it does not cancel the handler as it would a reclaimed one."""
    job_id = await db.text_translation(server.runtime.ports, tenant.key)
    beating = Worker(server, job_heartbeat_ttl_s=1)
    try:
        async def complete_then_beat() -> tuple[bool, bool]:
            runtime = beating.runtime
            context = runner.JobContext(runtime, await runner.claim(runtime, job_id, "done-here"), "done-here")
            async with context.uow() as uow:
                await context.complete(uow, {"done": True})
            handler = asyncio.get_running_loop().create_future()  # still in its after-commit callbacks
            await asyncio.wait_for(runner._heartbeat(runtime, context, handler), 60)
            return handler.cancelled(), context.lost

        assert await beating.call(complete_then_beat) == (False, False)
    finally:
        beating.close()
    assert (await db.job(job_id)).status == "completed"


async def test_a_task_runner_that_lost_its_claim_adds_no_child_jobs(server, db, worker):
    owner = await new_tenant(server)
    [task] = await queued_jobs(server, owner.key, "submission", 1, label="Transcribe")
    claimed = await worker.call(runner.claim, worker.runtime, task, "new-holder")
    stale = runner.JobContext(worker.runtime, claimed, "reclaimed-from-me")

    async def create(uow, viewer):
        return await jobs.create(uow, worker.runtime.ports, viewer, kind="text_translation", parent_id=task,
                                 input={"type": "text", "content": "Hello.", "target_language": "de"})

    with pytest.raises(Conflict):
        await worker.call(submission.child, stale, create)
    async with UnitOfWork(db.sessionmaker) as uow:
        assert await jobs_repo.children(uow.session, claimed.tenant_id, [task]) == []

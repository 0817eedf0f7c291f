"""Claims and compare-and-set: one worker holds a job at a time, a reclaimed worker's late writes are refused and
roll back, usage is recorded once per job (a constraint), cancel racing claim never moves the version back, and a
job whose worker keeps dying fails after its attempts instead of looping."""
from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from domain.db import UnitOfWork
from domain.errors import Conflict, DomainError, ErrorCode
from domain.usage.models import UsageRecord
from tests.harness import gql
from tests.workers.by_hand import Worker, ports_with
from workers import runner
from workers.reaper import reap_running

CANCEL = "mutation($id: ID!) { cancelJob(input: {id: $id}) { job { status } errors { code message } } }"


@pytest.fixture
def workers(server):
    made = []

    def make(**settings) -> Worker:
        made.append(Worker(server, **settings))
        return made[-1]

    yield make
    for worker in made:
        worker.close()


async def test_two_workers_racing_for_a_job_one_claims_it(server, tenant, db, workers):
    job_id = await db.text_translation(server.runtime.ports, tenant.key)
    a, b = workers(), workers()
    got = await asyncio.gather(a.call(runner.claim, a.runtime, job_id, "token-a"),
                               b.call(runner.claim, b.runtime, job_id, "token-b"))
    assert sorted(g is None for g in got) == [False, True]
    job = await db.job(job_id)
    winner = "token-a" if got[0] is not None else "token-b"
    assert (job.status, job.claimed_by, job.attempts) == ("running", winner, 1)
    await a.call(runner.fail, a.runtime, job_id, winner, DomainError("done with it", code=ErrorCode.INTERNAL), None)
    assert (await db.job(job_id)).status == "failed"


async def test_a_reclaimed_workers_late_writes_are_refused_and_usage_is_recorded_once(server, tenant, db, workers):
    job_id = await db.text_translation(server.runtime.ports, tenant.key)
    dying = workers(job_heartbeat_ttl_s=1)
    claimed = await dying.call(runner.claim, dying.runtime, job_id, "dying")
    await asyncio.sleep(1.5)  # it stopped beating for longer than its TTL
    # A reaper takes the job back; the server's outbox sends it again and its own worker runs it to the end.
    assert await reap_running(db.sessionmaker, ports_with(server, job_heartbeat_ttl_s=1)) >= 1
    done = await db.wait(job_id, {"completed", "failed"})
    assert (done.status, done.attempts) == ("completed", 2), done.error_message
    [billed] = await db.usage(job_id)
    context = runner.JobContext(dying.runtime, claimed, "dying")

    async def late_complete():
        async with context.uow() as uow:
            uow.session.add(UsageRecord(tenant_id=claimed.tenant_id, kind="late-output", quantity=1.0))
            await context.complete(uow, {"late": True}, usage_quantity=99.0)

    with pytest.raises(Conflict):
        await dying.call(late_complete)
    with pytest.raises(Conflict):
        await dying.call(context.progress, 50)
    await dying.call(runner.fail, dying.runtime, job_id, "dying", DomainError("late", code=ErrorCode.INTERNAL), None)
    after = await db.job(job_id)
    assert (after.status, after.version, after.result) == ("completed", done.version, done.result)
    assert [r.id for r in await db.usage(job_id)] == [billed.id] and billed.quantity != 99.0
    async with UnitOfWork(db.sessionmaker) as uow:  # what the late worker wrote with its completion rolled back too
        assert (await uow.session.execute(sa.select(UsageRecord).where(UsageRecord.kind == "late-output"))).all() == []
    # Once per job is the database's rule, not only the service's check.
    with pytest.raises(IntegrityError):
        async with UnitOfWork(db.sessionmaker) as uow:
            uow.session.add(UsageRecord(tenant_id=claimed.tenant_id, job_id=job_id, kind="text_translation"))


async def test_cancel_racing_claim_never_moves_the_version_back(client, server, tenant, db, workers):
    worker = workers()
    for _ in range(4):
        job_id = await db.text_translation(server.runtime.ports, tenant.key)
        before = await db.job(job_id)
        cancelled, claimed = await asyncio.gather(
            gql(client, tenant.key, CANCEL, {"id": str(job_id)}),
            worker.call(runner.claim, worker.runtime, job_id, f"w-{job_id.hex[:8]}"))
        payload = cancelled["data"]["cancelJob"]
        job = await db.job(job_id)
        if claimed is None:  # the cancel went first
            assert payload["errors"] == [] and job.status == "cancelled"
        else:  # the claim went first: cancel is a clean conflict, the job runs on
            assert [e["code"] for e in payload["errors"]] == ["CONFLICT"] and job.status == "running"
            assert job.version == claimed.version
            await worker.call(runner.fail, worker.runtime, job_id, job.claimed_by,
                              DomainError("done with it", code=ErrorCode.INTERNAL), None)
        assert job.version == before.version + 1


async def test_a_job_whose_worker_always_dies_fails_after_its_attempts_and_never_loops(server, tenant, db, workers):
    job_id = await db.text_translation(server.runtime.ports, tenant.key)
    worker = workers(job_heartbeat_ttl_s=1)
    attempts = server.settings.job_max_attempts
    for n in range(attempts):  # each delivery claims it (a stale claim is taken over), then the worker dies
        assert await worker.call(runner.claim, worker.runtime, job_id, f"life-{n}") is not None
        await asyncio.sleep(1.5)
    assert await worker.call(runner.claim, worker.runtime, job_id, "one-more") is None
    assert await worker.call(reap_running, worker.runtime.sessionmaker, worker.runtime.ports) >= 1
    job = await db.job(job_id)
    assert (job.status, job.error_code, job.attempts) == ("failed", "WORKER_LOST", attempts)
    assert await worker.call(runner.claim, worker.runtime, job_id, "redelivered") is None


async def test_a_handler_that_raises_fails_the_job_once(server, tenant, db, workers):
    job_id = await db.text_translation(server.runtime.ports, tenant.key, provider="gone")
    worker = workers()
    await worker.call(runner.run_job, worker.runtime, str(job_id))
    failed = await db.job(job_id)
    assert (failed.status, failed.error_code, failed.attempts) == ("failed", "PROVIDER_UNAVAILABLE", 1)
    await worker.call(runner.run_job, worker.runtime, str(job_id))  # a redelivered message
    again = await db.job(job_id)
    assert (again.status, again.attempts, again.version) == ("failed", 1, failed.version)

"""`after` on jobEvents and jobUpdated: replay from the event log in order with nothing twice, gaps in the live
stream (events published while nobody listened) filled from the log, and a cursor older than the log refused."""
from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from domain.db import UnitOfWork, make_engine, make_sessionmaker, utcnow
from domain.events import log as event_log
from domain.events.models import JobEvent
from domain.events.memory import InMemoryEventBus
from domain.jobs import lifecycle
from domain.jobs.models import Job
from tests.conftest import new_tenant
from tests.factories import queued_jobs
from tests.harness import Subscription

EVENTS = "subscription($after: Int) { jobEvents(after: $after) { id status progress sequence } }"
UPDATED = "subscription($id: ID!, $after: Int) { jobUpdated(id: $id, after: $after) { id status progress sequence } }"


@pytest.fixture
async def jobs_db(server):
    """Changes jobs as a worker does (lifecycle.change: logged, then published on the server's bus)."""
    engine = make_engine(server.settings.database_url)

    async def change(job_id: uuid.UUID, ports=None, **values) -> int:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            job = await uow.session.get(Job, job_id)
            staged = await lifecycle.change(uow, ports or server.runtime.ports, job, **values)
        return staged.version

    yield change
    await engine.dispose()


def _events(payloads: list[dict], field: str = "jobEvents") -> list[dict]:
    return [p["data"][field] for p in payloads]


async def _until(sub: Subscription, done, field: str = "jobEvents") -> list[dict]:
    return _events(await sub.collect_until(lambda p: done(p["data"][field]), timeout=90), field)


async def _refusal(server, key: str, query: str, variables: dict) -> dict:
    """The first error a subscription is answered with (as an `error` message, or a `next` with no data)."""
    async with Subscription(server, key, query, variables) as sub:
        refused = await sub.next(timeout=60)
    assert refused["type"] in {"next", "error"}, refused
    if refused["type"] == "error":
        return refused["payload"][0]
    assert not refused["payload"].get("data"), refused
    return refused["payload"]["errors"][0]


async def test_job_events_replay_after_a_cursor_in_order_and_nothing_twice(server, tenant, jobs_db):
    [job] = await queued_jobs(server, tenant.key, "probe")
    await jobs_db(job, status="running")
    await jobs_db(job, progress=20)
    async with Subscription(server, tenant.key, EVENTS, {"after": 0}) as sub:
        first = await _until(sub, lambda e: e["progress"] == 20)
        await jobs_db(job, progress=40)  # live, after the replay
        first += await _until(sub, lambda e: e["progress"] == 40)
    assert [e["status"] for e in first] == ["QUEUED", "RUNNING", "RUNNING", "RUNNING"]
    sequences = [e["sequence"] for e in first]
    assert sequences == sorted(set(sequences)) and all(e["id"] == str(job) for e in first)

    await jobs_db(job, progress=60)  # missed while disconnected
    await jobs_db(job, progress=80)
    async with Subscription(server, tenant.key, EVENTS, {"after": sequences[-1]}) as sub:
        missed = await _until(sub, lambda e: e["progress"] == 80)
        await jobs_db(job, status="completed")
        [other] = await queued_jobs(server, tenant.key, "probe")  # one more event after the end: a fence
        rest = await _until(sub, lambda e: e["id"] == str(other))
    resumed = missed + rest
    assert [e["progress"] for e in resumed] == [60, 80, 100, 0]
    assert [e["status"] for e in resumed] == ["RUNNING", "RUNNING", "COMPLETED", "QUEUED"]
    resumed_sequences = [e["sequence"] for e in resumed]
    assert resumed_sequences == list(range(sequences[-1] + 1, sequences[-1] + 5))


async def test_job_updated_replays_after_a_cursor_and_ends_at_the_terminal_state(server, tenant, other_tenant,
                                                                                  jobs_db):
    [job] = await queued_jobs(server, tenant.key, "probe")
    [noise] = await queued_jobs(server, tenant.key, "probe")  # another job of the tenant: never in jobUpdated
    await jobs_db(job, status="running")
    await jobs_db(noise, status="running")
    await jobs_db(job, progress=50)
    async with Subscription(server, tenant.key, UPDATED, {"id": str(job), "after": 0}) as sub:
        seen = await _until(sub, lambda e: e["progress"] == 50, "jobUpdated")
        await jobs_db(job, status="completed")
        seen += await _until(sub, lambda e: e["status"] == "COMPLETED", "jobUpdated")
        end = await sub.next(timeout=60)
    assert end["type"] == "complete"
    assert [(e["status"], e["progress"]) for e in seen] == [("QUEUED", 0), ("RUNNING", 0), ("RUNNING", 50),
                                                           ("COMPLETED", 100)]
    assert {e["id"] for e in seen} == {str(job)}
    assert [e["sequence"] for e in seen] == sorted(set(e["sequence"] for e in seen))

    # Without a cursor: the job now, and the subscription ends at once for a finished job.
    async with Subscription(server, tenant.key, UPDATED, {"id": str(job)}) as sub:
        now = await sub.next(timeout=60)
        assert now["payload"]["data"]["jobUpdated"]["status"] == "COMPLETED"
        assert (await sub.next(timeout=60))["type"] == "complete"

    # Another tenant's job id, with or without a cursor: NOT_FOUND, nothing replayed.
    for variables in ({"id": str(job), "after": 0}, {"id": str(job)}):
        assert (await _refusal(server, other_tenant.key, UPDATED, variables))["extensions"]["code"] == "NOT_FOUND"


async def test_a_gap_in_the_live_stream_is_filled_from_the_log(server, tenant, jobs_db):
    [job] = await queued_jobs(server, tenant.key, "probe")
    async with Subscription(server, tenant.key, EVENTS, {"after": 0}) as sub:
        await _until(sub, lambda e: e["id"] == str(job))
        await jobs_db(job, status="running")
        await _until(sub, lambda e: e["status"] == "RUNNING")
        # Two events logged but published on a bus nobody listens to (as while Redis is down) ...
        deaf = dataclasses.replace(server.runtime.ports, bus=InMemoryEventBus())
        await jobs_db(job, deaf, progress=30)
        await jobs_db(job, deaf, progress=60)
        # ... and the next one heard: the subscriber gets all three, in order.
        await jobs_db(job, progress=90)
        filled = await _until(sub, lambda e: e["progress"] == 90)
    assert [e["progress"] for e in filled] == [30, 60, 90]
    assert [e["sequence"] for e in filled] == sorted(set(e["sequence"] for e in filled))


async def test_a_cursor_of_another_tenant_replays_only_the_callers_events(server, tenant, jobs_db):
    theirs = await new_tenant(server)
    [their_job] = await queued_jobs(server, theirs.key, "probe")
    await jobs_db(their_job, status="running")
    [mine] = await queued_jobs(server, tenant.key, "probe")
    async with Subscription(server, tenant.key, EVENTS, {"after": 0}) as sub:
        seen = await _until(sub, lambda e: e["id"] == str(mine))
    assert {e["id"] for e in seen} == {str(mine)}


async def test_a_cursor_older_than_the_retained_events_is_refused_not_skipped(server, jobs_db):
    tenant = await new_tenant(server)  # a tenant of its own: its log is aged and swept here
    [job] = await queued_jobs(server, tenant.key, "probe")
    for progress in (10, 20, 30):
        await jobs_db(job, status="running", progress=progress)
    async with Subscription(server, tenant.key, EVENTS, {"after": 0}) as sub:
        seen = await _until(sub, lambda e: e["progress"] == 30)
    sequences = [e["sequence"] for e in seen]
    # The first two events are older than the retention window and the production sweep removes them.
    engine = make_engine(server.settings.database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with UnitOfWork(sessionmaker) as uow:
            tenant_id = (await uow.session.execute(sa.select(JobEvent.tenant_id)
                                                   .where(JobEvent.job_id == job))).scalars().first()
            await uow.session.execute(sa.update(JobEvent).where(JobEvent.tenant_id == tenant_id,
                                                                JobEvent.sequence <= sequences[1])
                                      .values(created_at=utcnow() - timedelta(days=2)))
        assert await event_log.sweep(sessionmaker, retention_s=86400, batch=500) >= 2
    finally:
        await engine.dispose()

    # A client that saw only the first event would miss the second: refused, with the code to act on.
    for query, variables, field in ((EVENTS, {"after": sequences[0]}, "jobEvents"),
                                    (UPDATED, {"id": str(job), "after": 0}, "jobUpdated")):
        error = await _refusal(server, tenant.key, query, variables)
        assert error["extensions"]["code"] == "CURSOR_EXPIRED", error
        assert f"the oldest kept is {sequences[2]}" in error["message"], error
    # From the oldest kept event on, the replay is whole; a cursor the tenant was never given is refused.
    async with Subscription(server, tenant.key, EVENTS, {"after": sequences[1]}) as sub:
        assert [e["sequence"] for e in await _until(sub, lambda e: e["progress"] == 30)] == sequences[2:]
    for after in (sequences[-1] + 1000, -1):
        error = await _refusal(server, tenant.key, EVENTS, {"after": after})
        assert error["extensions"]["code"] == "VALIDATION_FAILED", error

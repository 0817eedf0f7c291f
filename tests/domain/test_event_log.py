"""The job event log on each database: per-tenant sequences in commit order with no gap, replay after a cursor,
retention, isolated after-commit callbacks, and a Redis bus that is down or hung failing no commit."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from domain.db import UnitOfWork, make_engine, make_sessionmaker, utcnow
from domain.events import log as events
from domain.events.memory import InMemoryEventBus
from domain.events.models import JobEvent
from domain.events.redis_bus import RedisEventBus
from domain.jobs.snapshot import JobSnapshot
from domain.ports import Ports
from domain.tenancy.models import Tenant
from tests.conftest import BACKENDS, _create_database, _drop_database
from tests.own_redis import OwnRedis


@contextlib.asynccontextmanager
async def _migrated(backend: str, tmp_path_factory):
    from app import migrate
    from domain.settings import Settings

    env = {"DATA_DIR": str(tmp_path_factory.mktemp(f"events-{backend}"))}
    name = f"mg_test_{uuid.uuid4().hex[:10]}"
    if backend == "production":
        env["DATABASE_URL"] = await _create_database(name)
    settings = Settings.from_env(env)
    await asyncio.to_thread(migrate, settings)
    engine = make_engine(settings.database_url)
    try:
        yield make_sessionmaker(engine), make_sessionmaker(engine, reads=True)
    finally:
        await engine.dispose()
        if backend == "production":
            await _drop_database(name)


@pytest.fixture(scope="module", params=BACKENDS)
async def db(request, tmp_path_factory):
    """A migrated database of its own: (write sessionmaker, read sessionmaker)."""
    async with _migrated(request.param, tmp_path_factory) as sessionmakers:
        yield sessionmakers


@pytest.fixture(scope="module", params=[backend for backend in BACKENDS if backend == "production"])
async def pg_db(request, tmp_path_factory):
    """The same on PostgreSQL alone (SQLite has one writer at a time: no writer can pass another there)."""
    async with _migrated(request.param, tmp_path_factory) as sessionmakers:
        yield sessionmakers


def _ports(bus=None) -> Ports:
    return Ports(settings=None, storage=None, bus=bus or InMemoryEventBus(), dispatcher=None, registry=None)


def _event(tenant_id: uuid.UUID, job_id: uuid.UUID | None = None, progress: int = 0) -> JobSnapshot:
    return JobSnapshot(id=job_id or uuid.uuid4(), tenant_id=tenant_id, kind="probe", status="running",
                       progress=progress, version=1 + progress, created_at=utcnow())


async def _tenant(sessionmaker) -> uuid.UUID:
    async with UnitOfWork(sessionmaker) as uow:
        tenant = Tenant(id=uuid.uuid4(), name=f"events-{uuid.uuid4().hex[:6]}")
        uow.session.add(tenant)
    return tenant.id


async def _since(sessionmaker, tenant_id, after=0, limit=10_000, job_id=None) -> list[JobSnapshot]:
    async with UnitOfWork(sessionmaker) as uow:
        return await events.since(uow.session, tenant_id, after, limit, job_id=job_id)


async def test_sequences_are_taken_at_commit_so_they_follow_commit_order(db):
    writes, reads = db
    tenant, ports = await _tenant(writes), _ports()
    first, second = UnitOfWork(writes), UnitOfWork(writes)
    a, b = _event(tenant), _event(tenant)
    events.record(first, ports, a)  # recorded first...
    events.record(second, ports, b)
    try:
        await second.commit()  # ...but committed second
        await first.commit()
    finally:
        await first.close()
        await second.close()
    assert [(e.id, e.sequence) for e in await _since(reads, tenant)] == [(b.id, 1), (a.id, 2)]


async def test_a_writer_stalled_before_its_commit_holds_no_other_writer_of_its_tenant(pg_db):
    """A writer descheduled between writing its events and its COMMIT (a long lane at nice 10) must not hold every
    other writer of its tenant: PostgreSQL numbers the rows as the commit runs, so the other commits meanwhile and
    numbering still follows commit order."""
    writes, reads = pg_db
    tenant, ports = await _tenant(writes), _ports()
    stalled, written, resume = UnitOfWork(writes), asyncio.Event(), asyncio.Event()
    a, b = _event(tenant), _event(tenant)
    commit = stalled.session.commit

    async def descheduled_commit() -> None:  # the events are written; the COMMIT waits as a starved process would
        written.set()
        await resume.wait()
        await commit()

    stalled.session.commit = descheduled_commit
    events.record(stalled, ports, a)
    committing = asyncio.ensure_future(stalled.commit())
    try:
        await asyncio.wait_for(written.wait(), 30)
        assert await _since(reads, tenant) == []  # nothing of an uncommitted transaction is visible

        async def other_writer() -> None:
            async with UnitOfWork(writes) as uow:
                events.record(uow, ports, b)

        # A deadlock guard, not a timing: numbering in the transaction made this wait for `resume` forever.
        await asyncio.wait_for(other_writer(), 30)
        resume.set()
        await asyncio.wait_for(committing, 30)
    finally:
        resume.set()
        await stalled.close()
    assert [(e.id, e.sequence) for e in await _since(reads, tenant)] == [(b.id, 1), (a.id, 2)]


async def test_concurrent_writers_get_every_sequence_once_and_a_reader_never_sees_a_hole(db):
    writes, reads = db
    tenant, bus = await _tenant(writes), InMemoryEventBus()
    ports, written, holes = _ports(bus), [], []

    async def writer(n: int) -> None:
        for i in range(4):
            async with UnitOfWork(writes) as uow:
                await uow.session.execute(sa.select(Tenant.id).where(Tenant.id == tenant))  # the transaction is open
                batch = [_event(tenant) for _ in range(1 + (n + i) % 3)]
                for event in batch:
                    events.record(uow, ports, event)
                await asyncio.sleep(0.01 * ((n * 7 + i) % 3))  # others commit meanwhile
            written.append([e.id for e in batch])

    async def reader(done: asyncio.Event) -> int:
        reads_made = 0
        while not done.is_set() or reads_made == 0:
            seen = [e.sequence for e in await _since(reads, tenant)]
            if seen != list(range(1, len(seen) + 1)):
                holes.append(seen)
            reads_made += 1
        return reads_made

    async with bus.subscribe(tenant) as stream:
        done = asyncio.Event()
        watching = asyncio.ensure_future(reader(done))
        await asyncio.wait_for(asyncio.gather(*(writer(n) for n in range(6))), 120)
        done.set()
        await asyncio.wait_for(watching, 60)
        published = [stream.queue.get_nowait().sequence for _ in range(stream.queue.qsize())]
    total = sum(len(ids) for ids in written)
    logged = await _since(reads, tenant)
    assert holes == []
    assert [e.sequence for e in logged] == list(range(1, total + 1))
    assert sorted(published) == list(range(1, total + 1))
    by_id = {e.id: e.sequence for e in logged}
    for ids in written:  # one transaction's events are consecutive, in the order it recorded them
        sequences = [by_id[i] for i in ids]
        assert sequences == list(range(sequences[0], sequences[0] + len(ids)))


async def test_replay_after_a_cursor_in_order_per_tenant_and_per_job(db):
    writes, reads = db
    tenant, other = await _tenant(writes), await _tenant(writes)
    ports, jobs = _ports(), [uuid.uuid4(), uuid.uuid4()]
    for progress in range(5):
        async with UnitOfWork(writes) as uow:
            events.record(uow, ports, _event(tenant, jobs[progress % 2], progress * 10))
    async with UnitOfWork(writes) as uow:
        events.record(uow, ports, _event(other))
        events.record(uow, ports, _event(other))
    after = await _since(reads, tenant, after=2)
    assert [(e.sequence, e.id, e.progress) for e in after] == [(3, jobs[0], 20), (4, jobs[1], 30), (5, jobs[0], 40)]
    assert after[0].tenant_id == tenant and after[0].kind == "probe" and after[0].status == "running"
    assert [e.sequence for e in await _since(reads, tenant, after=2, limit=2)] == [3, 4]
    assert [e.sequence for e in await _since(reads, tenant, job_id=jobs[1])] == [2, 4]
    assert await _since(reads, tenant, after=5) == []
    # Each tenant has its own sequence; another tenant's job id replays nothing.
    assert [e.sequence for e in await _since(reads, other)] == [1, 2]
    assert await _since(reads, other, job_id=jobs[0]) == []


async def test_retention_deletes_old_events_in_batches_and_keeps_the_counter(db):
    writes, reads = db
    tenant, ports = await _tenant(writes), _ports()
    for _ in range(5):
        async with UnitOfWork(writes) as uow:
            events.record(uow, ports, _event(tenant))
    async with UnitOfWork(writes) as uow:
        await uow.session.execute(sa.update(JobEvent).where(JobEvent.tenant_id == tenant, JobEvent.sequence <= 3)
                                  .values(created_at=utcnow() - timedelta(hours=2)))
    removed = await events.sweep(writes, retention_s=3600, batch=2)
    assert removed >= 3  # other tests' events are recent: only these three are old
    assert [e.sequence for e in await _since(reads, tenant)] == [4, 5]
    async with UnitOfWork(reads) as uow:
        assert await events.oldest(uow.session, tenant) == 4
    async with UnitOfWork(writes) as uow:
        events.record(uow, ports, _event(tenant))
    assert [e.sequence for e in await _since(reads, tenant)] == [4, 5, 6]


async def test_after_commit_callbacks_are_isolated_and_a_rollback_writes_no_event(db, caplog):
    writes, reads = db
    tenant, ran = await _tenant(writes), []

    async def broken() -> None:
        raise ConnectionError("bus down")

    with caplog.at_level(logging.ERROR, logger="domain.db"):
        async with UnitOfWork(writes) as uow:
            uow.after_commit(lambda: 1 / 0)
            uow.after_commit(broken)
            uow.after_commit(lambda: ran.append("third"))
            events.record(uow, _ports(), _event(tenant))
    assert ran == ["third"]
    assert caplog.text.count("after-commit callback") == 2
    uow = UnitOfWork(writes)
    events.record(uow, _ports(), _event(tenant))
    await uow.rollback()
    await uow.commit()
    await uow.close()
    assert [e.sequence for e in await _since(reads, tenant)] == [1]


async def test_a_redis_bus_that_is_down_or_hung_fails_no_commit(db):
    writes, reads = db
    tenant, own = await _tenant(writes), OwnRedis().start()
    bus = RedisEventBus(own.url, f"mgtest-{uuid.uuid4().hex[:8]}")
    ports = _ports(bus)
    try:
        async with bus.subscribe(tenant) as stream:
            async with UnitOfWork(writes) as uow:
                events.record(uow, ports, _event(tenant))
            assert (await asyncio.wait_for(stream.queue.get(), 60)).sequence == 1
        os.kill(own.process.pid, signal.SIGSTOP)  # hung: publishing waits, and is given up
        try:
            async with asyncio.timeout(60):
                async with UnitOfWork(writes) as uow:
                    events.record(uow, ports, _event(tenant))
        finally:
            os.kill(own.process.pid, signal.SIGCONT)
        own.stop()  # down: publishing fails at once
        async with asyncio.timeout(60):
            async with UnitOfWork(writes) as uow:
                events.record(uow, ports, _event(tenant))
                events.record(uow, ports, _event(tenant))
    finally:
        await bus.close()
        own.stop()
    assert [e.sequence for e in await _since(reads, tenant)] == [1, 2, 3, 4]

"""Workers a test drives step by step: a real WorkerRuntime (own loop and engine) over a test server's database,
with settings of its own (a short heartbeat TTL, a tiny deadline), and jobs that reach no worker by themselves."""
from __future__ import annotations

import asyncio
import dataclasses
import uuid

import sqlalchemy as sa

from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.tenancy import service as tenancy
from domain.usage.models import UsageRecord
from workers.runtime import WorkerRuntime


class LosingBroker:
    """A dispatcher whose broker takes every message and loses it: the job stays queued, and the outbox sends it
    again only after its lost-message grace (minutes), so a test hands it to its own workers first."""

    def dispatch(self, job_id, kind, priority) -> bool:
        return True

    def deliver_webhook(self, delivery_id) -> bool:
        return True


def ports_with(server, **settings):
    """The server's ports with some settings changed, and a broker that loses what it is sent."""
    ports = server.runtime.ports
    return dataclasses.replace(ports, settings=dataclasses.replace(ports.settings, **settings),
                               dispatcher=LosingBroker())


class Worker:
    """One worker process's runtime, in this process; `call` runs a coroutine function on its loop."""

    def __init__(self, server, **settings):
        self.runtime = WorkerRuntime(ports_with(server, **settings))

    async def call(self, fn, *args):
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(fn(*args), self.runtime.loop))

    def close(self) -> None:
        self.runtime.close()


class Database:
    """Reads and writes the server's database directly, as an operator (or a dying worker) would leave it."""

    def __init__(self, database_url: str):
        self.engine = make_engine(database_url)
        self.sessionmaker = make_sessionmaker(self.engine)

    async def job(self, job_id: uuid.UUID) -> Job:
        async with UnitOfWork(self.sessionmaker) as uow:
            return await uow.session.get(Job, job_id, populate_existing=True)

    async def usage(self, job_id: uuid.UUID) -> list[UsageRecord]:
        async with UnitOfWork(self.sessionmaker) as uow:
            return list((await uow.session.execute(sa.select(UsageRecord).where(UsageRecord.job_id == job_id)))
                        .scalars())

    async def wait(self, job_id: uuid.UUID, statuses: set[str], timeout: float = 120) -> Job:
        for _ in range(int(timeout * 5)):
            job = await self.job(job_id)
            if job.status in statuses:
                return job
            await asyncio.sleep(0.2)
        raise AssertionError(f"job {job_id} stayed {job.status}")

    async def text_translation(self, ports, key: str, *, provider: str = "libre", content: str | None = None,
                               url: str | None = None) -> uuid.UUID:
        """A text translation job as the service writes it, never reaching a worker by itself."""
        held = dataclasses.replace(ports, dispatcher=LosingBroker())
        document = {"url": url} if url else {"content": content or "Hello world."}
        async with UnitOfWork(self.sessionmaker) as uow:
            viewer = await tenancy.authenticate(uow.session, key)
            job = await jobs.create(uow, held, viewer, kind="text_translation", provider=provider,
                                    input={"type": "url" if url else "text", **document, "target_language": "de"},
                                    options={"source_language": "en", "formality": "default"})
            return job.id

    async def close(self) -> None:
        await self.engine.dispose()

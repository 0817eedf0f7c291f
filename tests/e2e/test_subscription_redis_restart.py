"""A Redis restart under live subscriptions: events published while it was down are lost to pub/sub, and the
subscribers get them anyway, in order, from the event log as soon as the listener is back (no later event
needed). Runs against a Redis of its own, which it stops and starts."""
from __future__ import annotations

import asyncio
import subprocess
import time
import uuid

import pytest
import redis

from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.jobs import lifecycle
from domain.jobs.models import Job
from tests.conftest import _settings_env, new_tenant
from tests.factories import queued_jobs
from tests.harness import Server, Subscription, ThreadedServer, free_port

EVENTS = "subscription($after: Int) { jobEvents(after: $after) { id status progress sequence } }"


class OwnRedis:
    def __init__(self, port: int):
        self.port, self.proc = port, None

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                if redis.Redis(port=self.port).ping():
                    return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


@pytest.fixture
async def redis_backed(tmp_path, idp, providers):
    """An API on SQLite with the event bus (and broker) on a Redis of its own."""
    from app import create_app, migrate
    from domain.settings import Settings

    own = OwnRedis(free_port())
    own.start()
    port = free_port()
    env = {**_settings_env("embedded", tmp_path, port, None, "x", idp, providers),
           "REDIS_URL": f"redis://127.0.0.1:{own.port}/0", "REDIS_NAMESPACE": f"mgtest-{uuid.uuid4().hex[:8]}",
           "EMBEDDED_WORKERS": "false"}
    settings = Settings.from_env(env)
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    threaded = ThreadedServer(app, port)
    threaded.start()
    try:
        yield Server("redis-restart", f"http://127.0.0.1:{port}", app, app.state.runtime.settings, env), own
    finally:
        threaded.stop()
        own.stop()


async def test_subscribers_catch_up_from_the_log_when_redis_comes_back(redis_backed):
    server, own = redis_backed
    tenant = await new_tenant(server)
    [job] = await queued_jobs(server, tenant.key, "probe")
    engine = make_engine(server.settings.database_url)

    async def change(**values) -> None:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            await lifecycle.change(uow, server.runtime.ports, await uow.session.get(Job, job), **values)

    try:
        async with Subscription(server, tenant.key, EVENTS, {"after": 0}) as sub:
            await sub.collect_until(lambda p: p["data"]["jobEvents"]["id"] == str(job))
            own.stop()
            await change(status="running")  # committed and logged; publishing them fails
            await change(progress=40)
            own.start()
            seen = [p["data"]["jobEvents"] for p in
                    await sub.collect_until(lambda p: p["data"]["jobEvents"]["progress"] == 40, timeout=120)]
    finally:
        await server.runtime.ports.bus.close_client()
        await engine.dispose()
    assert [(e["status"], e["progress"]) for e in seen] == [("RUNNING", 0), ("RUNNING", 40)]
    assert [e["sequence"] for e in seen] == sorted(set(e["sequence"] for e in seen))

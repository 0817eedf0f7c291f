"""Redis outages delay work and never lose it: with the server's own Redis stopped, mutations still answer success,
and once Redis is back the outbox sweeper dispatches the jobs and queues the webhooks the broker never took."""
from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa

from domain.db import UnitOfWork, make_engine, make_sessionmaker, utcnow
from domain.jobs.models import Job
from domain.webhooks.models import WebhookDelivery
from tests.conftest import BACKENDS, new_tenant, serving
from tests.factories import queued_jobs
from tests.harness import gql
from tests.own_redis import OwnRedis
from tests.receivers import Receiver

TRANSLATE = """mutation($input: TranslateTextInput!) { translateText(input: $input) { job { id status }
  errors { field code message } } }"""
CANCEL = "mutation($id: ID!) { cancelJob(input: {id: $id}) { job { id status } errors { field code message } } }"
JOB = """query($id: ID!) { job(id: $id) { status webhook { deliveries { event attempt statusCode deliveredAt } } } }"""


@pytest.fixture(scope="module", params=BACKENDS)
async def outage(request, tmp_path_factory, idp, providers):
    """A server (and, in production, its worker process) on a Redis of the test's own, sweeping every second."""
    own = OwnRedis().start()
    env = {"REDIS_URL": own.url, "REAPER_INTERVAL_S": "1", "OUTBOX_GRACE_S": "1"}
    if request.param == "embedded":
        env["EMBEDDED_WORKERS"] = "true"  # SQLite and the in-process worker, consuming from this Redis
    try:
        async with serving(request.param, tmp_path_factory.mktemp(f"outage-{request.param}"), idp, providers,
                           env) as server:
            yield server, own
    finally:
        own.stop()


async def _rows(server, model, where):
    engine = make_engine(server.settings.database_url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            return list((await uow.session.execute(sa.select(model).where(where))).scalars())
    finally:
        await engine.dispose()


async def _status(client, key, job_id, wanted, timeout=180) -> dict:
    for _ in range(timeout * 5):
        job = (await gql(client, key, JOB, {"id": job_id}))["data"]["job"]
        if job["status"] in wanted:
            return job
        await asyncio.sleep(0.2)
    raise AssertionError(f"job {job_id} stuck in {job['status']}")


async def test_a_job_created_while_redis_is_down_runs_once_it_is_back(outage):
    server, own = outage
    tenant = await new_tenant(server)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as client:
        own.stop()
        try:
            # The mutation answers success: the job is written, its event logged, never handed to the broker.
            made = (await gql(client, tenant.key, TRANSLATE, {"input": {"content": "Good morning.",
                                                                         "targetLanguage": "es"}}))
            made = made["data"]["translateText"]
            assert made["errors"] == [] and made["job"]["status"] == "QUEUED"
            job_id = made["job"]["id"]
            [row] = await _rows(server, Job, Job.id == uuid.UUID(job_id))
            assert row.status == "queued" and row.dispatched_at is None
        finally:
            own.start()
        assert (await _status(client, tenant.key, job_id, {"COMPLETED", "FAILED"}))["status"] == "COMPLETED"
    [row] = await _rows(server, Job, Job.id == uuid.UUID(job_id))
    assert row.dispatched_at is not None and row.attempts == 1


async def test_a_webhook_whose_first_queueing_failed_is_delivered_once(outage):
    server, own = outage
    tenant, other = await new_tenant(server), await new_tenant(server)
    receiver = Receiver()
    try:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as client:
            own.stop()
            try:
                made = (await gql(client, tenant.key, TRANSLATE, {"input": {
                    "content": "Good morning.", "targetLanguage": "es", "webhook": {"url": receiver.url}}}))
                made = made["data"]["translateText"]
                assert made["errors"] == [] and made["job"]["status"] == "QUEUED"
                job_id = made["job"]["id"]
                # Cancelling publishes an event and writes the webhook's delivery: both reach a dead Redis.
                cancelled = (await gql(client, tenant.key, CANCEL, {"id": job_id}))["data"]["cancelJob"]
                assert cancelled == {"job": {"id": job_id, "status": "CANCELLED"}, "errors": []}
                [delivery] = await _rows(server, WebhookDelivery, WebhookDelivery.job_id == uuid.UUID(job_id))
                assert delivery.queued_at is None and delivery.delivered_at is None
            finally:
                own.start()
            for _ in range(600):
                job = (await gql(client, tenant.key, JOB, {"id": job_id}))["data"]["job"]
                if job["webhook"]["deliveries"][0]["deliveredAt"]:
                    break
                await asyncio.sleep(0.2)
            assert job["status"] == "CANCELLED"
            assert [(d["event"], d["attempt"], d["statusCode"]) for d in job["webhook"]["deliveries"]] == [
                ("translation.failed", 1, 204)]
            await asyncio.sleep(5)  # several more sweeps: nothing is sent again
            assert receiver.ids == [f"msg_{delivery.id.hex}"]
            # Another tenant cannot see the job or its deliveries.
            hidden = await gql(client, other.key, JOB, {"id": job_id}, expect_errors=True)
            assert hidden["data"]["job"] is None
            assert json.dumps(hidden["errors"]).count("NOT_FOUND") >= 1
    finally:
        receiver.stop()


async def test_the_sweeper_resends_only_deliveries_never_queued_or_stalled(outage):
    server, _ = outage
    tenant = await new_tenant(server)
    [job_id] = await queued_jobs(server, tenant.key, "text_translation")  # held: it never runs
    [job] = await _rows(server, Job, Job.id == job_id)
    now, hour, minute = utcnow(), timedelta(hours=1), timedelta(minutes=1)
    receiver = Receiver()
    states = {  # name: (created, queued, attempted, attempt, leased until, delivered)
        "never queued": (now - hour, None, None, 0, None, None),
        "stalled": (now - 3 * hour, now - 3 * hour, now - 2 * hour, 2, None, None),
        # Queued two minutes ago and never attempted (its message went with Redis, or with the worker that took it):
        # sent again now; one queued just now is left to its message; one mid-attempt (leased) to its attempt.
        "message lost": (now - 2 * minute, now - 2 * minute, None, 0, None, None),
        "just queued": (now - 2 * minute, now, None, 0, None, None),
        "attempt in flight": (now - 2 * minute, now - 2 * minute, None, 0, now + hour, None),
        "retrying": (now - 3 * hour, now - 3 * hour, now, 2, None, None),
        "in flight": (now - hour, None, None, 0, now + hour, None),
        "delivered": (now - hour, now - hour, now - hour, 1, None, now - hour),
        "out of attempts": (now - hour, now - hour, now - 2 * hour, 8, None, None),
        "a day old": (now - 25 * hour, None, None, 0, None, None),
    }
    rows = {name: WebhookDelivery(id=uuid.uuid4(), tenant_id=job.tenant_id, job_id=job_id, event="translation.failed",
                                  url=receiver.url, payload={"event": "translation.failed", "data": {"id": name}},
                                  created_at=created, queued_at=queued, attempted_at=attempted, attempt=attempt,
                                  leased_until=leased, delivered_at=delivered)
            for name, (created, queued, attempted, attempt, leased, delivered) in states.items()}
    engine = make_engine(server.settings.database_url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            uow.session.add_all(rows.values())
    finally:
        await engine.dispose()
    try:
        wanted = {f"msg_{rows[name].id.hex}" for name in ("never queued", "stalled", "message lost")}
        for _ in range(600):
            if set(receiver.ids) >= wanted:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(5)  # several more sweeps
        assert sorted(receiver.ids) == sorted(wanted)
        after = {row.id: row for row in await _rows(server, WebhookDelivery, WebhookDelivery.job_id == job_id)}
        for name in ("retrying", "in flight", "out of attempts", "a day old", "just queued", "attempt in flight"):
            assert after[rows[name].id].delivered_at is None and after[rows[name].id].attempt == states[name][3], name
        assert after[rows["stalled"].id].attempt == 3 and after[rows["never queued"].id].attempt == 1
    finally:
        receiver.stop()

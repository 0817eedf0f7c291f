"""Job lifecycle through the API: cancel, redelivery, the reaper, and listing."""
from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import sqlalchemy as sa

from domain.db import UnitOfWork, make_engine, make_sessionmaker, utcnow
from domain.jobs.models import Job
from tests.factories import queued_jobs
from tests.flows import probe_job, ready_asset
from tests.harness import gql
from workers import outbox
from workers.reaper import reap

JOB = """query($id: ID!) { job(id: $id) { id kind status progress error { code message } priority
  asset { id } completedAt } }"""
CANCEL = "mutation($id: ID!) { cancelJob(input: {id: $id}) { job { id status error { code } } errors { field code message } } }"


async def _queued_probe(server, key, asset_id, priority="standard") -> uuid.UUID:
    """A probe job written like any other, but not yet handed to a broker."""
    return (await queued_jobs(server, key, "probe", asset_id=asset_id, priority=priority))[0]


async def _wait_status(client, key, job_id, wanted, timeout=30):
    for _ in range(int(timeout * 10)):
        job = (await gql(client, key, JOB, {"id": str(job_id)}))["data"]["job"]
        if job["status"] in wanted:
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} stuck in {job['status']}")


async def test_cancel_a_queued_job_and_refuse_a_finished_one(client, server, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    queued = await _queued_probe(server, tenant.key, asset["id"])
    cancelled = (await gql(client, tenant.key, CANCEL, {"id": str(queued)}))["data"]["cancelJob"]
    assert cancelled["errors"] == []
    assert cancelled["job"] == {"id": str(queued), "status": "CANCELLED", "error": {"code": "CANCELLED"}}
    done = probe_job(asset)["id"]
    refused = (await gql(client, tenant.key, CANCEL, {"id": done}))["data"]["cancelJob"]
    assert refused["job"] is None
    assert refused["errors"] == [{"field": ["input", "id"], "code": "CONFLICT",
                                  "message": f"job {done} is completed; only queued jobs can be cancelled"}]
    # A cancelled job delivered late by the broker is not run.
    server.runtime.ports.dispatcher.dispatch(queued, "probe", "standard")
    await asyncio.sleep(0.5)
    assert (await gql(client, tenant.key, JOB, {"id": str(queued)}))["data"]["job"]["status"] == "CANCELLED"


async def test_the_outbox_sweeper_dispatches_a_job_the_broker_never_got(client, server, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    queued = await _queued_probe(server, tenant.key, asset["id"], priority="high")
    assert (await gql(client, tenant.key, JOB, {"id": str(queued)}))["data"]["job"]["status"] == "QUEUED"
    engine = make_engine(server.settings.database_url)
    try:
        touched = await outbox.resend_jobs(make_sessionmaker(engine), server.runtime.ports, grace_s=0,
                                           lost_after_s=0, batch=100)
    finally:
        await engine.dispose()
    assert touched >= 1
    job = await _wait_status(client, tenant.key, queued, {"COMPLETED", "FAILED"})
    assert job["status"] == "COMPLETED" and job["priority"] == "HIGH"


async def test_reaper_requeues_a_job_whose_worker_died_and_gives_up_after_max_attempts(client, server, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    revived = await _queued_probe(server, tenant.key, asset["id"])
    poison = await _queued_probe(server, tenant.key, asset["id"])
    engine = make_engine(server.settings.database_url)
    sessionmaker = make_sessionmaker(engine)
    long_ago = utcnow() - timedelta(hours=1)
    try:
        async with UnitOfWork(sessionmaker) as uow:
            await uow.session.execute(sa.update(Job).where(Job.id == revived).values(
                status="running", heartbeat_at=long_ago, attempts=1, processed_at=long_ago, claimed_by="dead"))
            await uow.session.execute(sa.update(Job).where(Job.id == poison).values(
                status="running", heartbeat_at=long_ago, attempts=3, claimed_by="dead"))
        await reap(sessionmaker, server.runtime.ports)
    finally:
        await engine.dispose()
    assert (await _wait_status(client, tenant.key, revived, {"COMPLETED"}))["status"] == "COMPLETED"
    failed = await _wait_status(client, tenant.key, poison, {"FAILED"})
    assert failed["error"]["code"] == "WORKER_LOST"


async def test_redelivered_message_for_a_finished_job_does_nothing(client, server, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    job_id = probe_job(asset)["id"]
    before = (await gql(client, tenant.key, JOB, {"id": job_id}))["data"]["job"]
    server.runtime.ports.dispatcher.dispatch(uuid.UUID(job_id), "probe", "standard")
    await asyncio.sleep(0.5)
    after = (await gql(client, tenant.key, JOB, {"id": job_id}))["data"]["job"]
    assert after == before


async def test_jobs_list_filters_and_pages(client, tenant, media):
    for _ in range(3):
        await ready_asset(client, tenant.key, media["wav"])
    query = """query($after: String) { jobs(first: 2, after: $after, kinds: [PROBE], statuses: [COMPLETED]) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id kind status } } } }"""
    first = (await gql(client, tenant.key, query))["data"]["jobs"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"] is True and len(first["edges"]) == 2
    rest = (await gql(client, tenant.key, query, {"after": first["pageInfo"]["endCursor"]}))["data"]["jobs"]
    assert len(rest["edges"]) == 1 and rest["pageInfo"]["hasNextPage"] is False
    ids = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(set(ids)) == 3
    none = (await gql(client, tenant.key, "{ jobs(statuses: [FAILED]) { totalCount } }"))["data"]["jobs"]
    assert none["totalCount"] == 0

"""MediaPitch worker reports: only a worker (or admin) key may report a task's result; credits never lose an update."""
from __future__ import annotations

import asyncio
import uuid

from app import _create_key
from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.jobs.models import Job
from domain.usage import service as usage
from tests.conftest import new_tenant
from tests.factories import queued_jobs
from tests.harness import gql
from tests.rest_compat.helpers import bearer

JOB = "query($id: ID!) { job(id: $id) { status resultData } }"


async def report(client, key, task_id, status="completed", **extra):
    return await client.post(f"/api/v1/tasks/{task_id}/results", headers=bearer(key), json={"status": status, **extra})


async def test_task_results_need_a_worker_or_admin_key(server, client):
    owner = await new_tenant(server)
    task, other_task = (str(t) for t in await queued_jobs(server, owner.key, "submission", 2, label="Transcribe"))
    refused = await report(client, owner.key, task, result=[{"summary": "made up"}])
    assert refused.status_code == 403
    assert refused.json() == {"message": "task results are reported by processing workers: use an admin or worker "
                                         "API key"}
    assert (await gql(client, owner.key, JOB, {"id": task}))["data"]["job"] == {"status": "QUEUED", "resultData": None}

    stranger = await _create_key(server.settings, f"other-{uuid.uuid4().hex[:6]}", False, worker=True)
    assert (await report(client, stranger, task)).status_code == 404  # another tenant's worker sees no such task

    worker = await _create_key(server.settings, owner.name, False, worker=True)
    done = await report(client, worker, task, result=[{"summary": "from the worker"}])
    assert done.status_code == 200, done.text
    # The task was written without a MediaPitch number; its first report gives it one (the document's integer id).
    assert done.json()["data"]["status"] == "done" and isinstance(done.json()["data"]["task_id"], int)
    job = (await gql(client, owner.key, JOB, {"id": task}))["data"]["job"]
    assert job["status"] == "COMPLETED" and job["resultData"]["payload"] == [{"summary": "from the worker"}]

    admin = await _create_key(server.settings, owner.name, True)
    failed = await report(client, admin, other_task, status="failed")
    assert failed.status_code == 200 and failed.json()["data"]["status"] == "failed"


async def test_concurrent_completions_add_every_credit(server, client):
    owner = await new_tenant(server)
    worker = await _create_key(server.settings, owner.name, False, worker=True)
    tasks = await queued_jobs(server, owner.key, "submission", 12, label="Transcribe")
    seconds = [1.25 + i for i in range(len(tasks))]
    engine = make_engine(server.settings.database_url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            for task_id, quantity in zip(tasks, seconds):
                await usage.record(uow.session, await uow.session.get(Job, task_id), quantity)
    finally:
        await engine.dispose()
    answers = await asyncio.gather(*(report(client, worker, str(t)) for t in tasks))
    assert [a.status_code for a in answers] == [200] * len(tasks)
    account = (await gql(client, owner.key, "{ account { creditsUsed } }"))["data"]["account"]
    assert account["creditsUsed"] == sum(seconds)

"""Webhooks: signed Standard Webhooks deliveries with the caller's headers, retries, records on the job."""
from __future__ import annotations

import asyncio
import json
import re

import pytest
from standardwebhooks.webhooks import Webhook

from tests.flows import ready_asset
from tests.harness import gql
from tests.receivers import Receiver

TRANSCRIBE = """mutation($input: TranscribeInput!) { transcribe(input: $input) { job { id } errors { field code message } } }"""
JOB = """query($id: ID!) { job(id: $id) { status webhook { url headerNames
  deliveries { event attempt statusCode error deliveredAt } } } }"""


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.stop()


async def _deliveries(client, key, job_id, done, timeout=60):
    for _ in range(timeout * 10):
        job = (await gql(client, key, JOB, {"id": job_id}))["data"]["job"]
        if job["status"] in {"COMPLETED", "FAILED"} and done(job["webhook"]["deliveries"]):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"deliveries not done: {job}")


async def test_events_are_signed_carry_headers_and_are_recorded(client, tenant, media, receiver):
    secret = (await gql(client, tenant.key, "mutation { rotateWebhookSecret { secret errors { code } } }"))
    secret = secret["data"]["rotateWebhookSecret"]["secret"]
    assert secret.startswith("whsec_")
    asset = await ready_asset(client, tenant.key, media["wav"])
    made = (await gql(client, tenant.key, TRANSCRIBE, {"input": {"assetId": asset["id"], "webhook": {
        "url": f"{receiver.base}/hook", "headers": {"X-Token": "t0k3n"}}}}))["data"]["transcribe"]
    assert made["errors"] == []
    # Deliveries run concurrently: wait for every one, not only the completion (progress may land after it).
    job = await _deliveries(client, tenant.key, made["job"]["id"],
                            lambda ds: any(d["event"] == "transcription.completed" for d in ds)
                            and all(d["deliveredAt"] for d in ds))
    assert job["webhook"]["url"] == f"{receiver.base}/hook" and job["webhook"]["headerNames"] == ["X-Token"]
    events = [d["event"] for d in job["webhook"]["deliveries"]]
    assert set(events) == {"transcription.progress", "transcription.completed"}
    assert events.count("transcription.completed") == 1
    assert all(d["statusCode"] == 204 and d["attempt"] == 1 for d in job["webhook"]["deliveries"])
    verifier = Webhook(secret)
    for path, headers, body in receiver.requests:
        assert path == "/hook" and headers["x-token"] == "t0k3n"
        payload = verifier.verify(body, headers)  # raises on a bad signature
        assert payload["data"]["id"] == made["job"]["id"] and payload["data"]["type"] == "transcription-job"
    [completed] = [json.loads(b) for _, _, b in receiver.requests if json.loads(b)["event"].endswith("completed")]
    assert completed["data"]["attributes"]["status"] == "completed"
    # the AI Gateway's documented Result (seconds), not the job's internal result
    result = completed["data"]["attributes"]["result"]
    assert result["format"] == "json" and result["download_url"] and "transcription_id" not in result
    assert "error" not in completed["data"]["attributes"]
    # times as the gateway's document prints them: UTC, whole seconds, Z
    for name in ("created_at", "processed_at", "completed_at"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", completed["data"]["attributes"][name]), name


async def test_failures_are_retried_and_redirects_are_not_followed(client, tenant, media, receiver):
    asset = await ready_asset(client, tenant.key, media["wav"])
    flaky = (await gql(client, tenant.key, TRANSCRIBE, {"input": {"assetId": asset["id"], "webhook": {
        "url": f"{receiver.base}/flaky"}}}))["data"]["transcribe"]["job"]["id"]
    job = await _deliveries(client, tenant.key, flaky, lambda ds: ds and all(d["deliveredAt"] for d in ds))
    # The receiver fails the first request it gets once: that delivery needed a second attempt.
    assert sorted(d["attempt"] for d in job["webhook"]["deliveries"])[-1] == 2
    assert sum(d["attempt"] for d in job["webhook"]["deliveries"]) == len(job["webhook"]["deliveries"]) + 1
    assert all(d["statusCode"] == 204 for d in job["webhook"]["deliveries"])
    redirected = (await gql(client, tenant.key, TRANSCRIBE, {"input": {"assetId": asset["id"], "webhook": {
        "url": f"{receiver.base}/redirect"}}}))["data"]["transcribe"]["job"]["id"]
    job = await _deliveries(client, tenant.key, redirected, lambda ds: ds and ds[0]["attempt"] >= 1)
    delivery = job["webhook"]["deliveries"][0]
    assert delivery["statusCode"] == 302 and delivery["deliveredAt"] is None
    assert delivery["error"] == "answered HTTP 302"
    assert not any(path == "/hook" for path, _, _ in receiver.requests)


async def test_bad_webhooks_are_refused_at_creation(client, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    for hook, field in (({"url": "ftp://example.com/x"}, "url"),
                        ({"url": "https://example.com/x", "headers": {"X-A": "one\r\ntwo"}}, "headers"),
                        ({"url": "https://example.com/x", "headers": {"bad name": "v"}}, "headers")):
        refused = (await gql(client, tenant.key, TRANSCRIBE, {"input": {"assetId": asset["id"], "webhook": hook}}))
        errors = refused["data"]["transcribe"]["errors"]
        assert errors[0]["code"] == "VALIDATION_FAILED" and errors[0]["field"] == ["input", "webhook", field]


async def test_private_webhook_targets_are_refused_unless_allowed(server, tenant, media, client):
    """The test servers allow private URLs (they fetch from 127.0.0.1); with the default off, creation refuses."""
    import dataclasses

    from domain.db import UnitOfWork, make_engine, make_sessionmaker
    from domain.errors import ValidationFailed
    from domain.jobs import service as jobs
    from domain.tenancy import service as tenancy

    ports = server.runtime.ports
    strict = dataclasses.replace(ports, settings=dataclasses.replace(ports.settings, allow_private_urls=False))
    engine = make_engine(server.settings.database_url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            viewer = await tenancy.authenticate(uow.session, tenant.key)
            for url in ("http://127.0.0.1:8000/hook", "http://10.0.0.5/hook", "http://[::1]/hook"):
                with pytest.raises(ValidationFailed) as refused:
                    await jobs.create(uow, strict, viewer, kind="probe", webhook={"url": url})
                assert refused.value.field == ["input", "webhook", "url"]
            await uow.rollback()
    finally:
        await engine.dispose()

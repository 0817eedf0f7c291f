"""Webhook limits: an answer is read up to 64 KiB, an attempt has one deadline, the caller cannot set framing or
signature headers, and header values are stored encrypted and shown nowhere."""
from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.e2e.test_webhooks import JOB, Receiver
from tests.harness import gql
from tests.rest_compat.helpers import bearer
from tests.rest_compat.test_ai_gateway_translations import body, completed, created

ENDLESS_LIMIT = 64 * 1024 * 1024  # the receiver gives up here: a reader that buffers everything gets all of it


class Hostile:
    """A receiver that answers 200 and then an endless body (`/endless`) or one byte now and then (`/slow`)."""

    def __init__(self):
        self.sent: list[int] = []  # bytes each /endless answer got out before the reader hung up
        self.stopping = threading.Event()
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self.send_response(200)
                self.send_header("content-type", "application/octet-stream")
                self.end_headers()  # no length: HTTP/1.0, the body runs until the connection closes
                sent = 0
                try:
                    if self.path == "/endless":
                        chunk = b"x" * 65536
                        while sent < ENDLESS_LIMIT and not hostile.stopping.is_set():
                            self.wfile.write(chunk)
                            sent += len(chunk)
                    else:
                        deadline = time.monotonic() + 40  # each byte well within any read timeout
                        while time.monotonic() < deadline and not hostile.stopping.is_set():
                            self.wfile.write(b".")
                            self.wfile.flush()
                            time.sleep(0.2)
                except OSError:
                    pass
                if self.path == "/endless":
                    hostile.sent.append(sent)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hostile():
    made = Hostile()
    yield made
    made.stop()


async def _translation(client, key, webhook: dict) -> str:
    job = await created(client, key, {"input": {"type": "text", "content": "Good morning.", "target_language": "fr"},
                                      "webhook": webhook})
    await completed(client, key, job["data"]["id"])
    return job["data"]["id"]


async def _first_attempt(client, key, job_id, timeout=45) -> dict:
    for _ in range(timeout * 10):
        deliveries = (await gql(client, key, JOB, {"id": job_id}))["data"]["job"]["webhook"]["deliveries"]
        attempted = [d for d in deliveries if d["attempt"] >= 1]
        if attempted:
            return attempted[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no delivery attempt recorded: {deliveries}")


async def test_an_endless_answer_is_cut_at_64_kib(client, tenant, hostile):
    job_id = await _translation(client, tenant.key, {"url": f"{hostile.base}/endless"})
    delivery = await _first_attempt(client, tenant.key, job_id)
    assert delivery["statusCode"] == 200 and delivery["error"] is None and delivery["deliveredAt"]
    for _ in range(100):  # the receiver notices the hang-up on its next writes
        if hostile.sent:
            break
        await asyncio.sleep(0.1)
    # What left the receiver before the sender hung up: 64 KiB read, plus what the sockets buffered meanwhile.
    assert hostile.sent and max(hostile.sent) < ENDLESS_LIMIT // 4


async def test_an_attempt_ends_at_its_deadline_however_the_receiver_dribbles(client, tenant, hostile, server):
    job_id = await _translation(client, tenant.key, {"url": f"{hostile.base}/slow"})
    delivery = await _first_attempt(client, tenant.key, job_id)
    assert delivery["deliveredAt"] is None
    assert delivery["error"] == f"no answer within {server.settings.webhook_timeout_s:g} s"


@pytest.mark.parametrize("name", ["Host", "content-length", "Transfer-Encoding", "Connection", "Upgrade",
                                  "webhook-signature", "Webhook-Id", "WEBHOOK-TIMESTAMP"])
async def test_framing_and_signature_headers_cannot_be_set(client, tenant, name):
    hook = {"url": "https://example.com/hook", "headers": {"X-Fine": "ok", name: "1"}}
    refused = await client.post("/v1/translations", headers=bearer(tenant.key), json=body(
        {"input": {"type": "text", "content": "Hi", "target_language": "fr"}, "webhook": hook}))
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "VALIDATION_FAILED"
    assert name in refused.json()["error"]["message"]
    made = await gql(client, tenant.key, """mutation($input: TranslateTextInput!) { translateText(input: $input) {
      errors { field code message } } }""", {"input": {"content": "Hi", "targetLanguage": "fr", "webhook": hook}})
    [error] = made["data"]["translateText"]["errors"]
    assert error["code"] == "VALIDATION_FAILED" and error["field"] == ["input", "webhook", "headers"]
    assert name in error["message"]


async def test_header_values_are_encrypted_and_never_shown(client, tenant, server):
    from domain.db import UnitOfWork, make_engine, make_sessionmaker
    from domain.jobs import repository as jobs_repo
    from domain.jobs.snapshot import JobSnapshot
    from domain.webhooks import service as webhooks

    secret = f"tok-{uuid.uuid4().hex}"
    receiver = Receiver()
    try:
        hook = {"url": f"{receiver.base}/hook", "headers": {"X-Token": secret}}
        job_id = await _translation(client, tenant.key, hook)
        for _ in range(100):
            if receiver.requests:
                break
            await asyncio.sleep(0.1)
        assert receiver.requests and all(h["x-token"] == secret for _, h, _ in receiver.requests)  # still sent
        shown = await gql(client, tenant.key, JOB, {"id": job_id})
        assert shown["data"]["job"]["webhook"]["headerNames"] == ["X-Token"] and secret not in json.dumps(shown)
        rest = await client.get(f"/v1/translations/{job_id}", headers=bearer(tenant.key))
        assert rest.status_code == 200 and secret not in rest.text
        engine = make_engine(server.settings.database_url)
        try:
            async with UnitOfWork(make_sessionmaker(engine)) as uow:
                job = await jobs_repo.get_unscoped(uow.session, uuid.UUID(job_id))
                assert secret not in json.dumps(job.webhook) and job.webhook["header_names"] == ["X-Token"]
                event = JobSnapshot.of(job).to_json()  # what every job event carries
                assert event["webhook"] == {"url": f"{receiver.base}/hook", "header_names": ["X-Token"]}
                assert "headers_encrypted" not in json.dumps(event)
                await uow.rollback()
        finally:
            await engine.dispose()
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
    # Rows written before header values were encrypted still deliver theirs.
    assert webhooks.header_values(server.settings.secret_key, {"url": "u", "headers": {"X-Old": "v"}}) == {"X-Old": "v"}

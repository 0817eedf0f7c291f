"""Operating it: /healthz and /readyz, /metrics, JSON logs with request ids carried into jobs and never a secret."""
from __future__ import annotations

import asyncio
import io
import json
import logging
import subprocess
import time
import uuid

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import BACKENDS, new_tenant, serving
from tests.harness import Subscription, free_port, gql
from tests.receivers import Receiver

METRICS_TOKEN = "metrics-t0ken-for-tests"
OPS_ENV = {"METRICS_TOKEN": METRICS_TOKEN, "WORKER_GRACE_S": "1"}
TRANSLATE = """mutation($input: TranslateTextInput!) { translateText(input: $input) { job { id } errors { code message } } }"""
JOB = """query($id: ID!) { job(id: $id) { status webhook { deliveries { statusCode } } } }"""


def delivered(job: dict) -> bool:
    """Every delivery of the finished job answered (the receiver may then stop without leaving retries behind)."""
    return bool(job["webhook"]["deliveries"]) and all(d["statusCode"] == 204 for d in job["webhook"]["deliveries"])


@pytest.fixture(scope="module", params=BACKENDS)
async def ops(request, tmp_path_factory, idp, providers):
    async with serving(request.param, tmp_path_factory.mktemp(f"ops-{request.param}"), idp, providers,
                       extra_env=OPS_ENV) as running:
        yield running


@pytest.fixture
async def http(ops):
    async with httpx.AsyncClient(base_url=ops.base_url, timeout=60) as client:
        yield client


class CapturedLogs:
    """This process's log records rendered exactly as `app.py` renders them (JSON lines)."""

    def __enter__(self):
        from domain.observability import logs

        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(logs.formatter())
        root = logging.getLogger()
        self.level = root.level
        root.addHandler(self.handler)
        root.setLevel(logging.INFO)
        return self

    def __exit__(self, *exc):
        root = logging.getLogger()
        root.removeHandler(self.handler)
        root.setLevel(self.level)

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines() if line.startswith("{")]


def metrics(text: str) -> dict[str, list]:
    """Every sample of the exposition by family name (the parser refuses anything malformed)."""
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


async def scrape(http) -> dict[str, list]:
    answer = await http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return metrics(answer.text)


def value(samples, name: str, **labels) -> float:
    return sum(s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


async def gauge_becomes(http, name: str, wanted: float, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while value((await scrape(http))[name], name) != wanted:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True


async def finished(http, key: str, job_id: str, done=lambda job: True, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = (await gql(http, key, JOB, {"id": job_id}))["data"]["job"]
        if job["status"] in {"COMPLETED", "FAILED", "CANCELLED"} and done(job):
            return job
        await asyncio.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {job}")


async def stored_request_id(ops, job_id: str) -> str | None:
    from domain.db import UnitOfWork, make_engine, make_sessionmaker
    from domain.jobs import repository

    engine = make_engine(ops.settings.database_url)  # this test's own loop: the server's engine is its thread's
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            return (await repository.get_unscoped(uow.session, uuid.UUID(job_id))).request_id
    finally:
        await engine.dispose()


# ---------------------------------------------------------------- health
async def test_healthz_and_readyz_need_no_key_and_name_no_secret(ops, http):
    alive = await http.get("/healthz")
    assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    ready = await http.get("/readyz")
    expected = {"database": "ok", "storage": "ok"} | ({"redis": "ok"} if ops.settings.redis_url else {})
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "checks": expected}
    for secret in (ops.settings.database_url, ops.settings.secret_key, str(ops.settings.redis_url)):
        assert secret not in ready.text
    # Probes are not part of any dialect's API: no OpenAPI document lists them.
    document = await http.get("/openapi.json")
    assert document.status_code == 200 and document.json()["paths"]
    assert not {"/healthz", "/readyz", "/metrics"} & set(document.json()["paths"])


@pytest.mark.parametrize("backend", BACKENDS)
async def test_readyz_answers_503_naming_redis_while_it_is_down(backend, tmp_path, idp, providers):
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]

    def start_redis() -> subprocess.Popen:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() \
                != "PONG":
            assert time.monotonic() < deadline and process.poll() is None, "redis-server did not start"
            time.sleep(0.1)
        return process

    redis = start_redis()
    try:
        own = {"REDIS_URL": f"redis://127.0.0.1:{port}/0", "EMBEDDED_WORKERS": "false"}
        async with serving(backend, tmp_path, idp, providers, extra_env=own) as running:
            async with httpx.AsyncClient(base_url=running.base_url, timeout=60) as http:
                assert (await http.get("/readyz")).json()["checks"]["redis"] == "ok"
                redis.terminate()
                redis.wait(timeout=30)
                down = await http.get("/readyz")
                assert down.status_code == 503, down.text
                assert down.json() == {"status": "unavailable", "checks": {"database": "ok", "storage": "ok",
                                                                           "redis": "unavailable"}}
                assert str(port) not in down.text  # no address, no exception text
                assert (await http.get("/healthz")).status_code == 200  # alive all the same
                redis = start_redis()
                back = await http.get("/readyz")
                assert back.status_code == 200 and back.json()["checks"]["redis"] == "ok"
    finally:
        redis.terminate()
        redis.wait(timeout=30)


# ---------------------------------------------------------------- metrics
async def test_metrics_are_for_bearers_of_the_token_and_count_requests_and_jobs(ops, http):
    assert (await http.get("/metrics")).status_code == 403
    assert (await http.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 403
    before = await scrape(http)
    tenant = await new_tenant(ops)
    receiver = Receiver()
    try:
        made = (await gql(http, tenant.key, TRANSLATE, {"input": {
            "content": "Good morning.", "targetLanguage": "es", "webhook": {"url": receiver.url}}}))
        job_id = made["data"]["translateText"]["job"]["id"]
        job = await finished(http, tenant.key, job_id, delivered)
        assert job["status"] == "COMPLETED", job
    finally:
        receiver.stop()
    graphql = dict(name="mediagraph_requests_total", path="/graphql", method="POST")
    deadline, after = time.monotonic() + 60, before
    while time.monotonic() < deadline:  # the database figures are cached a few seconds
        after = await scrape(http)
        if value(after.get("mediagraph_job_duration_seconds_gcount", []), "mediagraph_job_duration_seconds_gcount",
                 kind="text_translation", status="completed") >= 1 and \
                value(after.get("mediagraph_webhook_deliveries", []), "mediagraph_webhook_deliveries",
                      outcome="delivered") >= 1:
            break
        await asyncio.sleep(1)
    requests = after["mediagraph_requests"]
    assert value(requests, **graphql) >= value(before.get("mediagraph_requests", []), **graphql) + 2
    assert value(after["mediagraph_jobs"], "mediagraph_jobs", kind="text_translation", status="completed") >= 1
    # A gauge histogram (jobs finished in the window): buckets, then _gcount and _gsum as the text format writes them.
    durations = after["mediagraph_job_duration_seconds"]
    assert value(after["mediagraph_job_duration_seconds_gcount"], "mediagraph_job_duration_seconds_gcount",
                 kind="text_translation", status="completed") >= 1
    assert value(durations, "mediagraph_job_duration_seconds_bucket", kind="text_translation", status="completed",
                 le="+Inf") >= 1
    assert value(after["mediagraph_webhook_deliveries"], "mediagraph_webhook_deliveries", outcome="delivered") >= 1
    assert {s.labels["queue"] for s in after["mediagraph_queue_depth"]} >= {"mediagraph"}
    # Subscriptions open on this process: one more while ours is open, one less once it closes.
    opened = value(after["mediagraph_subscriptions_open"], "mediagraph_subscriptions_open")
    async with Subscription(ops, tenant.key, "subscription { jobEvents { status } }"):
        assert await gauge_becomes(http, "mediagraph_subscriptions_open", opened + 1)
    assert await gauge_becomes(http, "mediagraph_subscriptions_open", opened)
    assert value(after["mediagraph_metrics_database_ok"], "mediagraph_metrics_database_ok") == 1
    # Nothing names a tenant: no label carries its id or name, and paths are route templates.
    text = (await http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})).text
    assert tenant.name not in text and job_id not in text


# ---------------------------------------------------------------- request ids and logs
async def test_request_id_is_echoed_stored_on_the_job_and_logged_by_its_worker_without_secrets(ops, http):
    tenant = await new_tenant(ops)
    request_id = f"ops-{uuid.uuid4().hex[:12]}"
    hook_value = f"hook-header-value-{uuid.uuid4().hex}"
    receiver = Receiver()
    worker_log = ops.settings.data_dir / "worker.log"
    try:
        with CapturedLogs() as captured:
            answer = await http.post("/graphql", headers={"Authorization": f"Bearer {tenant.key}",
                                                          "X-Request-Id": request_id},
                                     json={"query": TRANSLATE, "variables": {"input": {
                                         "content": "Good evening.", "targetLanguage": "es",
                                         "webhook": {"url": receiver.url, "headers": {"X-Hook-Token": hook_value}}}}})
            assert answer.status_code == 200 and answer.headers["x-request-id"] == request_id
            job_id = answer.json()["data"]["translateText"]["job"]["id"]
            job = await finished(http, tenant.key, job_id, delivered)
            assert job["status"] == "COMPLETED", job
            assert receiver.headers and receiver.headers[0]["x-hook-token"] == hook_value  # it was really used
            assert await stored_request_id(ops, job_id) == request_id
            deadline = time.monotonic() + 60
            while True:  # the worker's line: in this process (embedded) or in the worker's log file
                text = worker_log.read_text() if ops.worker is not None else captured.stream.getvalue()
                lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
                taken = [line for line in lines if line.get("job_id") == job_id and line["event"] == "job message taken"]
                if taken or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.5)
            assert taken and taken[0]["request_id"] == request_id and taken[0]["kind"] == "text_translation"
        access = [line for line in captured.lines() if line["event"] == "request" and line["path"] == "/graphql"]
        assert any(line["request_id"] == request_id and line["status"] == 200 for line in access)
        everything = captured.stream.getvalue() + (worker_log.read_text() if worker_log.exists() else "")
        assert request_id in everything
        for secret in (tenant.key, hook_value, ops.settings.secret_key):
            assert secret not in everything
    finally:
        receiver.stop()
    # An id that is not a short plain token is replaced, never echoed.
    odd = await http.get("/healthz", headers={"X-Request-Id": "a b\tc" + "x" * 100})
    assert odd.headers["x-request-id"] != "a b\tc" + "x" * 100 and len(odd.headers["x-request-id"]) == 32
    made = await http.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32


def test_secrets_are_dropped_from_log_lines_whatever_their_shape():
    from domain.observability import logs

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter())
    logger = logging.getLogger("mediagraph.test-redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logs.get("mediagraph.test-redaction").info("calling", authorization="Bearer mg_k3y_abcdefghijklmnopqrstuv",
                                                   webhook_headers={"X-Token": "v4lue"}, api_key="plain-k3y")
        logger.warning("connect to postgresql://user:pa55word@db/x failed; sent Bearer abc.def.ghi and "
                       "mg_abcdefghijklmnopqrstuvwxyz0123 to http://h/f?sig=s1gn4ture&exp=1")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    for secret in ("mg_k3y_abcdefghijklmnopqrstuv", "v4lue", "plain-k3y", "pa55word", "abc.def.ghi",
                   "mg_abcdefghijklmnopqrstuvwxyz0123", "s1gn4ture"):
        assert secret not in text
    first, second = (json.loads(line) for line in text.splitlines())
    assert first["event"] == "calling" and first["authorization"] == "[redacted]" and first["level"] == "info"
    assert "db/x failed" in second["event"] and "exp=1" in second["event"]

"""The CLI: migrate, create-api-key (a key that then authenticates), settings validation, graceful SIGTERM."""
import asyncio
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from domain.settings import Settings
from tests.conftest import BACKENDS

ROOT = Path(__file__).resolve().parent.parent


def run(args, env):
    return subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_migrate_then_create_api_key_prints_a_working_key(tmp_path):
    import asyncio

    from domain.db import UnitOfWork, make_engine, make_sessionmaker
    from domain.tenancy.service import authenticate

    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    assert run(["migrate"], env).returncode == 0
    made = run(["create-api-key", "--tenant", "newsroom"], env)
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert key.startswith("mg_") and len(key) > 40

    async def check():
        engine = make_engine(Settings.from_env({"DATA_DIR": str(tmp_path)}).database_url)
        try:
            async with UnitOfWork(make_sessionmaker(engine)) as uow:
                return await authenticate(uow.session, key), await authenticate(uow.session, key + "x")
        finally:
            await engine.dispose()

    viewer, nobody = asyncio.run(check())
    assert viewer.name == "newsroom" and nobody is None


def test_settings_read_the_documented_names(tmp_path):
    settings = Settings.from_env({
        "PORT": "9001", "DATA_DIR": str(tmp_path), "PUBLIC_BASE_URL": "https://media.example/",
        "DATABASE_URL": "postgresql://u@db/x", "REDIS_URL": "redis://r:6379/1", "STORAGE": "s3",
        "S3_ENDPOINT_URL": "http://s3", "S3_BUCKET": "b", "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s",
        "AWS_REGION": "eu-west-1", "BOOTSTRAP_API_KEY": "boot", "ALLOW_PRIVATE_URLS": "true",
    })
    assert settings.port == 9001 and settings.public_base_url == "https://media.example"
    assert settings.database_url == "postgresql+asyncpg://u@db/x" and settings.redis_url == "redis://r:6379/1"
    assert (settings.storage, settings.s3_bucket, settings.aws_region) == ("s3", "b", "eu-west-1")
    assert settings.bootstrap_api_key == "boot" and settings.allow_private_urls is True
    assert settings.embedded_workers is False
    defaults = Settings.from_env({"DATA_DIR": str(tmp_path)})
    assert defaults.port == 8000 and defaults.storage == "local" and defaults.embedded_workers is True
    assert defaults.database_url == f"sqlite+aiosqlite:///{tmp_path / 'mediagraph.db'}"
    with pytest.raises(ValueError):
        Settings.from_env({"STORAGE": "ftp"})


# ---------------------------------------------------------------- graceful SIGTERM (README "Operating it")
TRANSCRIBE = """mutation($input: TranscribeInput!) { transcribe(input: $input) { job { id } errors { code message } } }"""
STATUS = """query($id: ID!) { job(id: $id) { status error { code message } } }"""


async def _status(http, key: str, job_id: str) -> str:
    from tests.harness import gql

    job = (await gql(http, key, STATUS, {"id": job_id}))["data"]["job"]
    return job["status"] if job["status"] != "FAILED" else f"FAILED {job['error']}"


async def _until(http, key: str, job_id: str, statuses: set[str], timeout: float = 300) -> str:
    import time

    deadline = time.monotonic() + timeout
    while (status := await _status(http, key, job_id)).split(" ")[0] not in statuses:
        assert time.monotonic() < deadline, f"job {job_id} still {status}"
        await asyncio.sleep(0.2)
    return status


def _log_lines(path: Path) -> list[dict]:
    import json

    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")] if path.exists() else []


async def _transcription(http, key: str, url: str) -> str:
    from tests.harness import gql

    made = (await gql(http, key, TRANSCRIBE, {"input": {"url": url}}))["data"]["transcribe"]
    assert made["errors"] == [], made
    return made["job"]["id"]


async def _sigterm_a_worker_mid_job(tmp_path, idp, providers, media):
    """Production shape: the worker running the job gets SIGTERM, a second worker is up; the job completes once."""
    import httpx

    from tests.conftest import new_tenant, serving
    from tests.flows import ready_asset
    from tests.harness import gql, start_worker_process

    async with serving("production", tmp_path, idp, providers, extra_env={"WORKER_GRACE_S": "1"}) as server:
        tenant = await new_tenant(server)
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
            asset = await ready_asset(http, tenant.key, media["speech_mp4"])
            made = (await gql(http, tenant.key, TRANSCRIBE, {"input": {"assetId": asset["id"]}}))["data"]["transcribe"]
            assert made["errors"] == [], made
            job_id = made["job"]["id"]
            await _until(http, tenant.key, job_id, {"RUNNING", "COMPLETED"})
            second = start_worker_process(server.env)
            try:
                first = server.worker
                first.send_signal(signal.SIGTERM)
                assert await asyncio.to_thread(first.wait, 120) == 0  # well within the grace plus start-up noise
                status = await _until(http, tenant.key, job_id, {"COMPLETED", "FAILED", "CANCELLED"})
                lines = _log_lines(Path(server.env["DATA_DIR"]) / "worker.log")
                assert status == "COMPLETED", (status, [line for line in lines if line["level"] in {"warning", "error"}])
                mine = [line for line in lines if line.get("job_id") == job_id]
                released = [line for line in mine if line["event"] == "job released at shutdown"]
                if released:  # handed back: the other worker took it and finished it
                    assert released[0]["pid"] == first.pid
                    assert any(line["event"] == "job message taken" and line["pid"] == second.pid for line in mine)
                else:  # it finished within the grace period, on the first worker
                    assert first.pid in [line["pid"] for line in mine if line["event"] == "job message done"]
                assert any(line["event"] == "worker stopping: running jobs have 1 s to finish" and
                           line["pid"] == first.pid for line in lines)
            finally:
                second.terminate()
                await asyncio.to_thread(second.wait, 60)


async def _sigterm_serve_mid_job(tmp_path, media_server):
    """Embedded shape: `serve` runs the job itself; SIGTERM closes subscriptions with 1012 and puts the unfinished
    job back in the queue, and the next start finishes it."""
    import json
    import os
    import subprocess
    import time

    import httpx
    import websockets

    from tests.harness import free_port

    port, key = free_port(), "mg_sigterm_test_key"
    env = {**os.environ, "DATA_DIR": str(tmp_path), "PORT": str(port), "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
           "BOOTSTRAP_API_KEY": key, "ALLOW_PRIVATE_URLS": "true", "WORKER_GRACE_S": "1"}
    assert run(["migrate"], env).returncode == 0

    async def start() -> subprocess.Popen:
        log = open(tmp_path / "serve.log", "ab")
        process = subprocess.Popen([sys.executable, "app.py", "serve"], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 180
        async with httpx.AsyncClient(timeout=5) as probe:
            while True:
                assert process.poll() is None and time.monotonic() < deadline, "serve did not start"
                try:
                    if (await probe.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        return process
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.3)

    serve = await start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            job_id = await _transcription(http, key, f"{media_server}/speech.mp4")
            async with websockets.connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"]) as ws:
                await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}))
                assert json.loads(await asyncio.wait_for(ws.recv(), 30))["type"] == "connection_ack"
                await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
                    "query": "subscription($id: ID!) { jobUpdated(id: $id) { status } }", "variables": {"id": job_id}}}))
                await _until(http, key, job_id, {"RUNNING", "COMPLETED"})
                serve.send_signal(signal.SIGTERM)
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    while True:
                        await asyncio.wait_for(ws.recv(), 120)
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012  # service restart: reconnect
        # uvicorn re-raises the signal once its graceful shutdown is done: the exit status says SIGTERM.
        assert await asyncio.to_thread(serve.wait, 120) in {0, -signal.SIGTERM}
        lines = _log_lines(tmp_path / "serve.log")
        released = [line for line in lines if line["event"] == "job released at shutdown" and line["job_id"] == job_id]
        serve = await start()  # the reaper re-sends what is queued at start: the job finishes now if it did not then
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            assert await _until(http, key, job_id, {"COMPLETED", "FAILED", "CANCELLED"}) == "COMPLETED"
        taken = [line for line in _log_lines(tmp_path / "serve.log")
                 if line.get("job_id") == job_id and line["event"] == "job message taken"]
        assert len(taken) == (2 if released else 1)
        # The logs are JSON lines with the request id; the key never appears in them.
        assert key not in (tmp_path / "serve.log").read_text()
        assert all(line.get("request_id") for line in taken)
    finally:
        serve.send_signal(signal.SIGTERM)
        await asyncio.to_thread(serve.wait, 120)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_sigterm_mid_job_finishes_or_hands_back_the_job_and_exits(backend, tmp_path, idp, providers, media,
                                                                        media_server):
    if backend == "production":
        await _sigterm_a_worker_mid_job(tmp_path, idp, providers, media)
    else:
        await _sigterm_serve_mid_job(tmp_path, media_server)

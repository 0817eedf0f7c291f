"""Fixtures: media made once per run, and a real server per backend (embedded, and PostgreSQL + Redis)."""
from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest
import redis

from tests import media as media_mod
from tests.harness import Server, Tenant, ThreadedServer, free_port, start_worker_process

CI = os.environ.get("CI", "").lower() == "true"
# pytest_configure moves these out of the app's way before pytest-xdist starts its workers; the workers read the
# moved copies.
PG_URL = os.environ.get("DATABASE_URL") or os.environ.get("MEDIAGRAPH_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("MEDIAGRAPH_TEST_REDIS_URL", "")
BACKENDS = ["embedded"] + (["production"] if PG_URL and REDIS_URL else [])
if CI and BACKENDS == ["embedded"]:
    raise RuntimeError("CI=true needs DATABASE_URL and REDIS_URL: the production backend may not be skipped")


def pytest_configure(config):
    # The app's own env must not leak into the embedded backend: tests build their settings explicitly.
    for name in ("DATABASE_URL", "REDIS_URL"):
        if os.environ.get(name):
            os.environ[f"MEDIAGRAPH_TEST_{name}"] = os.environ[name]
    for name in ("DATABASE_URL", "REDIS_URL", "STORAGE", "BOOTSTRAP_API_KEY", "DATA_DIR"):
        os.environ.pop(name, None)


@pytest.fixture(scope="session")
def idp():
    from tests.oidc import IdentityProvider

    provider = IdentityProvider()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def libre():
    from tests.providers import LibreTranslate

    server = LibreTranslate()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chat():
    from tests.providers import ChatCompletions

    server = ChatCompletions()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mailbox():
    from tests.providers import Mailbox

    box = Mailbox(free_port())
    yield box
    box.stop()


@pytest.fixture(scope="session")
def storages():
    from tests.storages import Storages

    emulators = Storages()
    yield emulators
    emulators.stop()


@pytest.fixture(scope="session")
def generation_provider():
    from tests.providers import GenerationProvider

    server = GenerationProvider()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def providers(libre, chat, mailbox, storages, generation_provider) -> dict:
    """Remote providers as env: every adapter under test is the production one, talking HTTP/SMTP."""
    return {**storages.env(), "LIBRETRANSLATE_URL": libre.url, "LIBRETRANSLATE_API_KEY": "test-key", "OPENAI_BASE_URL": chat.url,
            "OPENAI_API_KEY": "sk-test", "OPENAI_MODEL": "test-model", "OPENAI_VISION": "true", "SMTP_URL": mailbox.url,
            "TRANSLATION_PROVIDERS": "", "PROVIDER_ATTEMPTS": "2", "PROVIDER_TIMEOUT_S": "3",
            "GENERATION_PROVIDER_URL": generation_provider.url, "GENERATION_PROVIDER_API_KEY": GENERATION_KEY}


GENERATION_KEY = "gen-test-key"  # tests.providers.GenerationProvider.KEY

MEDIA_REQUESTS: list[tuple[str, dict]] = []  # (path, headers) of every GET the media server answered


@pytest.fixture(scope="session")
def media_server(media):
    """Serves the test media over HTTP on 127.0.0.1 (plus a redirect), for URL inputs."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self):
            MEDIA_REQUESTS.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            if self.path.startswith("/slow/"):  # a slow origin: the file after a few seconds
                import time

                time.sleep(4)
                self.path = "/" + self.path.split("/", 2)[2]
            if self.path.startswith("/redirect/"):
                self.send_response(302)
                self.send_header("Location", "/" + self.path.split("/", 2)[2])
                self.end_headers()
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    folder = next(iter(media.values())).parent
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _shared_root(tmp_path_factory) -> Path:
    """The run's temp root: under pytest-xdist each worker has its own session, and they share their parent."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> dict[str, Path]:
    """Made once per test run, by whichever xdist worker comes first; the others read the list it wrote."""
    import json

    from filelock import FileLock

    root = _shared_root(tmp_path_factory)
    folder, listing = root / "media", root / "media.json"
    with FileLock(str(root / "media.lock")):
        if not listing.exists():
            files = media_mod.make_all(folder)
            listing.write_text(json.dumps({name: str(path) for name, path in files.items()}))
        return {name: Path(path) for name, path in json.loads(listing.read_text()).items()}


@pytest.fixture(scope="session")
def editor_video(media) -> Path:
    """The editor source video (tests/editor.py), in the media folder: `media_server` serves it by name."""
    from filelock import FileLock

    from tests import editor

    folder = next(iter(media.values())).parent
    with FileLock(str(folder.parent / "media.lock")):
        return editor.make_video(folder)


def _pg_admin_url() -> str:
    return PG_URL.replace("postgresql+asyncpg://", "postgresql://")


async def _create_database(name: str) -> str:
    conn = await asyncpg.connect(_pg_admin_url())
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, _ = _pg_admin_url().rpartition("/")
    return f"{base}/{name}"


async def _drop_database(name: str) -> None:
    conn = await asyncpg.connect(_pg_admin_url())
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def drop_backend(db_name: str, namespace: str) -> None:
    """What a production-backend server leaves behind: its database and its Redis keys."""
    await _drop_database(db_name)
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{namespace}*"):
        client.delete(key)


def _settings_env(backend: str, data_dir: Path, port: int, database_url: str | None, namespace: str, idp,
                  providers: dict) -> dict:
    from tests.oidc import AUDIENCE, ISSUER

    env = {"DATA_DIR": str(data_dir), "PORT": str(port), "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
           "BOOTSTRAP_API_KEY": "mg_bootstrap_test_key", "WORKER_THREADS": "4",
           "ALLOW_PRIVATE_URLS": "true", "OIDC_ISSUER": ISSUER, "OIDC_AUDIENCE": AUDIENCE, "OIDC_JWKS_URL": idp.jwks_url, **providers}
    if backend == "production":
        env.update(DATABASE_URL=database_url, REDIS_URL=REDIS_URL, REDIS_NAMESPACE=namespace, EMBEDDED_WORKERS="false")
    return env


@contextlib.asynccontextmanager
async def serving(backend: str, data_dir: Path, idp, providers: dict, extra_env: dict | None = None):
    """One app on a free port (plus a worker process in production) over a fresh database and Redis namespace."""
    from app import create_app, migrate
    from domain.settings import Settings

    port = free_port()
    namespace = f"mgtest-{uuid.uuid4().hex[:8]}"
    db_name = f"mg_test_{uuid.uuid4().hex[:10]}"
    database_url = await _create_database(db_name) if backend == "production" else None
    env = _settings_env(backend, data_dir, port, database_url, namespace, idp, providers)
    env.update(extra_env or {})  # a test's own settings (its own Redis, shorter sweeps)
    settings = Settings.from_env(env)
    await asyncio.to_thread(migrate, settings)
    worker = start_worker_process(env) if backend == "production" else None
    app = create_app(settings)
    threaded = ThreadedServer(app, port)
    threaded.start()
    try:
        yield Server(backend, f"http://127.0.0.1:{port}", app, app.state.runtime.settings, env, threaded.thread,
                     worker)
    finally:
        threaded.stop()
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except Exception:
                worker.kill()
        if backend == "production":
            await drop_backend(db_name, namespace)


@pytest.fixture(scope="session", params=BACKENDS)
async def server(request, tmp_path_factory, idp, providers):
    async with serving(request.param, tmp_path_factory.mktemp(f"data-{request.param}"), idp, providers) as running:
        yield running


@pytest.fixture(scope="session")
async def s3_server(tmp_path_factory, idp, providers):
    """The embedded backend with STORAGE=s3 against an S3 server on 127.0.0.1 (moto): the storage, upload and clip
    flows also run on the S3 adapter (bucket `parity`; `env["S3_ENDPOINT_URL"]` names the endpoint)."""
    from moto.server import ThreadedMotoServer

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    moto.start()
    host, port = moto.get_host_and_port()
    extra = {"STORAGE": "s3", "S3_ENDPOINT_URL": f"http://{host}:{port}", "S3_BUCKET": "parity",
             "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1"}
    try:
        async with serving("embedded", tmp_path_factory.mktemp("data-s3"), idp, providers, extra) as running:
            yield running
    finally:
        moto.stop()


@pytest.fixture
async def client(server):
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
        yield http


async def new_tenant(server: Server, name: str | None = None) -> Tenant:
    from app import _create_key

    name = name or f"tenant-{uuid.uuid4().hex[:8]}"
    return Tenant(name, await _create_key(server.settings, name, False))


@pytest.fixture
async def tenant(server) -> Tenant:
    return await new_tenant(server)


@pytest.fixture
async def other_tenant(server) -> Tenant:
    return await new_tenant(server)


@pytest.fixture(scope="session", params=BACKENDS)
async def plain_server(request, tmp_path_factory, idp, providers):
    """A server as deployed by default: no language model (no OPENAI_*), every other provider as for `server`."""
    plain = {k: v for k, v in providers.items() if not k.startswith("OPENAI_")}
    async with serving(request.param, tmp_path_factory.mktemp(f"plain-{request.param}"), idp, plain) as running:
        yield running

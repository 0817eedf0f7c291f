"""Composition root: settings, adapters, the Litestar app (GraphQL, REST dialects, storage, health) and the CLI."""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get, put
from litestar.config.cors import CORSConfig
from litestar.datastructures import Headers, State
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.response import File
from litestar.types import Scope
from strawberry.exceptions import ConnectionRejectionError
from strawberry.litestar import make_graphql_controller
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.errors import AccountDisabled, DomainError, ErrorCode
from domain.events.memory import InMemoryEventBus
from domain.events.redis_bus import RedisEventBus
from domain.ports import Ports
from domain.providers.registry import ProviderRegistry
from domain.settings import Settings
from domain.storage import serving
from domain.storage.local import LocalStorage
from domain.storage.s3 import S3Storage
from domain.tenancy import service as tenancy
from domain.tenancy import tokens
from domain.throttle import Throttle
from resolvers.context import AppState, Context
from resolvers.sockets import Socket
from rest_compat.auth import credential_from_headers, credential_from_params
from rest_compat.gate import RateLimited, address_of
from rest_compat.generator import build_compat, render_http_exception
from rest_compat.oauth import token as oauth_token
from schema import graphiql, schema
from workers import broker as broker_mod
from workers import handlers  # noqa: F401  (registers the job handlers)
from workers.engines import media as media_engine
from workers.engines.editing import frames as editing_frames
from workers.engines.registry import register_local
from domain.ephemeral import EphemeralSecrets
from domain.pitch import mailer
from workers import maintenance
from workers.runner import run_job
from workers.runtime import WorkerRuntime
from workers.webhooks import deliver as deliver_webhook

log = logging.getLogger("mediagraph")
ERROR_STATUS = {ErrorCode.FORBIDDEN: 403, ErrorCode.NOT_FOUND: 404, ErrorCode.PAYLOAD_TOO_LARGE: 413}


# ---------------------------------------------------------------- wiring
def build_storage(settings: Settings):
    if settings.storage == "s3":
        return S3Storage(settings.s3_bucket, endpoint_url=settings.s3_endpoint_url, region=settings.aws_region,
                         access_key=settings.aws_access_key_id, secret_key=settings.aws_secret_access_key,
                         tmp_dir=settings.data_dir / "tmp")
    return LocalStorage(settings.data_dir, settings.secret_key, settings.public_base_url, settings.max_part_bytes)


def build_bus(settings: Settings):
    return RedisEventBus(settings.redis_url, settings.redis_namespace) if settings.redis_url else InMemoryEventBus()


@dataclass
class Runtime:
    """Everything one process holds: adapters, the API's engine, and (embedded) the worker."""

    settings: Settings
    embedded_workers: bool
    ports: Ports = None
    engine: Any = None
    sessionmaker: Any = None
    read_sessionmaker: Any = None
    broker: Any = None
    worker: Any = None
    worker_runtime: WorkerRuntime | None = None
    oidc: tokens.OidcVerifier | None = None
    tasks: list = field(default_factory=list)

    @classmethod
    def build(cls, settings: Settings, *, run_jobs: bool) -> "Runtime":
        settings = settings.with_secret()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        runtime = cls(settings, run_jobs)
        runtime.broker = broker_mod.build_broker(settings)
        holder: dict = {}
        actors = broker_mod.declare_actors(
            runtime.broker, (lambda job_id: holder["rt"].run(run_job, holder["rt"], job_id)) if run_jobs else None
        )
        webhook_actor = broker_mod.declare_webhook_actor(
            runtime.broker, (lambda delivery_id: holder["rt"].run(deliver_webhook, holder["rt"], delivery_id))
            if run_jobs else None)
        runtime.ports = Ports(settings=settings, storage=build_storage(settings), bus=build_bus(settings),
                              dispatcher=broker_mod.DramatiqDispatcher(actors, webhook_actor),
                              registry=register_local(ProviderRegistry(), settings), media=media_engine,
                              mailer=mailer.build(settings),
                              ephemeral=EphemeralSecrets(settings.secret_key, settings.redis_url,
                                                         settings.redis_namespace),
                              frames=editing_frames)
        if run_jobs:
            holder["rt"] = runtime.worker_runtime = WorkerRuntime(runtime.ports)
        if settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_url:
            runtime.oidc = tokens.OidcVerifier(settings.oidc_issuer, settings.oidc_audience, settings.oidc_jwks_url,
                                               settings.oidc_tenant_claim)
        return runtime

    async def open(self) -> None:
        self.engine = make_engine(self.settings.database_url)
        self.sessionmaker = make_sessionmaker(self.engine)
        self.read_sessionmaker = make_sessionmaker(self.engine, reads=True)
        if isinstance(self.ports.storage, S3Storage):
            await self.ports.storage.ensure_bucket()
        if self.settings.bootstrap_api_key:
            async with UnitOfWork(self.sessionmaker) as uow:
                await tenancy.ensure_bootstrap_key(uow.session, self.settings.bootstrap_api_key)

    def start_worker(self) -> None:
        if self.worker_runtime is not None and self.worker is None:
            self.worker = broker_mod.start_worker(self.broker, self.settings)

    async def start_reaper(self) -> None:
        # The embedded broker keeps nothing across restarts: whatever is queued now was lost with it.
        first_grace = 0 if not self.settings.redis_url else 600
        periodic_grace = 3600 if not self.settings.redis_url else 600
        self.tasks.append(asyncio.get_running_loop().create_task(
            maintenance.run_forever(self.sessionmaker, self.ports, first_grace_s=first_grace, grace_s=periodic_grace)))

    async def authenticate(self, raw: str | None):
        """An API key, a JWT we issued through /oauth/token, or a token of the configured OIDC issuer."""
        if not raw:
            return None
        async with UnitOfWork(self.read_sessionmaker) as uow:
            if tokens.looks_like_jwt(raw):
                return await tenancy.authenticate_token(uow.session, raw, secret=self.settings.secret_key,
                                                        issuer=self.settings.public_base_url, oidc=self.oidc)
            return await tenancy.authenticate(uow.session, raw)

    async def issue_token(self, client_id: str, client_secret: str) -> str | None:
        """/oauth/token: a short-lived JWT for an API key's client credentials, or None if they are wrong."""
        async with UnitOfWork(self.sessionmaker) as uow:
            key = await tenancy.key_for_client(uow.session, client_id, client_secret)
        if key is None:
            return None
        settings = self.settings
        return tokens.issue(settings.secret_key, settings.public_base_url, tenant_id=key.tenant_id, key_id=key.id,
                            ttl_s=settings.token_ttl_s)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.worker is not None:
            await asyncio.to_thread(self.worker.stop)
            self.worker = None
        if self.worker_runtime is not None:
            await asyncio.to_thread(self.worker_runtime.close)
        close = getattr(self.ports.bus, "close", None)
        if close:
            await close()
        self.broker.close()
        if self.engine is not None:
            await self.engine.dispose()


# ---------------------------------------------------------------- auth
def state_of(scope: Scope) -> AppState:
    return scope["app"].state.mediagraph


async def graphql_context(scope: Scope) -> Context:
    state = state_of(scope)
    if scope["type"] != "http":
        return Context(state=state)  # websockets authenticate in connection_init
    gate = scope["app"].state.gate
    try:
        viewer = await gate.authenticated(state.authenticate, credential_from_headers(Headers.from_scope(scope)),
                                          address_of(scope))
    except AccountDisabled as disabled:
        raise PermissionDeniedException(disabled.message) from disabled
    renders_ide = scope["method"] == "GET" and b"query=" not in scope.get("query_string", b"")
    if viewer is None and not renders_ide:
        raise NotAuthorizedException("a valid API key is required (Authorization: Bearer <key> or X-Api-Key)")
    refused = await gate.charge("graphql", viewer.tenant_id) if viewer is not None else None
    if refused:
        raise RateLimited(refused)
    return Context(state=state, viewer=viewer)


class GraphQLController(make_graphql_controller(
    schema, path="/graphql", context_getter=graphql_context,
    subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,), keep_alive=True, keep_alive_interval=15,
    # Requests authenticate with a header, never a cookie, so multipart uploads carry no CSRF risk here.
    multipart_uploads_enabled=True,
)):
    graphql_ide_html = graphiql.PAGE  # headers (API keys) never persisted in the browser

    async def on_ws_connect(self, context: Context):
        socket, gate = context.websocket, context.websocket.app.state.gate
        credential = credential_from_params(context.connection_params)
        try:
            viewer = await gate.authenticated(context.state.authenticate, credential, address_of(socket.scope))
        except (AccountDisabled, RateLimited):
            viewer = None
        if viewer is None:
            raise ConnectionRejectionError({"message": "a valid API key is required in connection_init"})
        context.viewer = viewer
        context.socket = Socket(socket, gate, context.state.authenticate, credential, viewer)
        return None


# ---------------------------------------------------------------- plain routes
def _error(status: int, code: str, message: str) -> Response:
    return Response({"error": {"code": code, "message": message}}, status_code=status)


@put("/storage/uploads/{upload_id:str}/{part:int}", request_max_body_size=None, status_code=200)
async def upload_part(request: Request, upload_id: str, part: int) -> Response:
    storage = state_of(request.scope).ports.storage
    if not isinstance(storage, LocalStorage):
        return _error(404, "NOT_FOUND", "uploads go straight to object storage")
    try:
        length = request.headers.get("content-length")
        etag = await storage.receive_part(upload_id, part, request.query_params.get("exp"),
                                          request.query_params.get("sig"), request.stream(),
                                          int(length) if length and length.isdigit() else None)
    except DomainError as error:
        return _error(ERROR_STATUS.get(error.code, 400), error.code.value, error.message)
    return Response(content=b"", headers={"ETag": etag}, media_type="application/octet-stream")


@get("/storage/files/{key:path}")
async def download_file(request: Request, key: str) -> Response | File:
    storage = state_of(request.scope).ports.storage
    if not isinstance(storage, LocalStorage):
        return _error(404, "NOT_FOUND", "files are served by object storage")
    params = request.query_params
    filename, content_type = params.get("filename"), params.get("type")
    try:
        path = storage.verify_download(key.lstrip("/"), params.get("exp"), params.get("sig"), filename, content_type)
    except DomainError as error:
        return _error(ERROR_STATUS.get(error.code, 400), error.code.value, error.message)
    if not path.is_file():
        return _error(404, "NOT_FOUND", "file not found")
    # Only the signed type counts: the file's name or bytes never make this origin render a document.
    headers = serving.headers(content_type, filename or path.name)
    return File(path, media_type=headers["Content-Type"], headers=headers)


def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error(500, "INTERNAL", "internal error")


# ---------------------------------------------------------------- app
def create_app(settings: Settings | None = None, *, run_jobs: bool | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    runtime = Runtime.build(settings, run_jobs=settings.embedded_workers if run_jobs is None else run_jobs)

    @asynccontextmanager
    async def lifespan(app: Litestar):
        await runtime.open()
        app.state.mediagraph = AppState(ports=runtime.ports, sessionmaker=runtime.sessionmaker,
                                        authenticate=runtime.authenticate, read_sessionmaker=runtime.read_sessionmaker,
                                        issue_token=runtime.issue_token)
        app.state.runtime = runtime
        runtime.start_worker()
        await runtime.start_reaper()
        try:
            yield
        finally:
            await runtime.close()

    compat = build_compat(runtime.settings, Throttle(runtime.settings.redis_url, runtime.settings.redis_namespace))
    return Litestar(
        route_handlers=[GraphQLController, upload_part, download_file, oauth_token, *compat.route_handlers],
        state=State({"gate": compat.gate}),
        listeners=compat.listeners,
        lifespan=[lifespan],
        request_max_body_size=runtime.settings.max_body_bytes,
        cors_config=CORSConfig(allow_origins=["*"], expose_headers=["ETag"], allow_headers=["*"]),
        exception_handlers={HTTPException: render_http_exception, Exception: _unexpected},
        openapi_config=None,
        debug=False,
    )


# ---------------------------------------------------------------- CLI
def migrate(settings: Settings) -> None:
    from alembic import command
    from alembic.config import Config

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    config = Config(str(Path(__file__).with_name("alembic.ini")))
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.attributes["database_url"] = settings.database_url
    command.upgrade(config, "head")


async def _create_key(settings: Settings, tenant: str, admin: bool, *, worker: bool = False,
                      quota_bytes: int | None = None) -> str:
    engine = make_engine(settings.database_url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            _, raw = await tenancy.create_tenant_with_key(uow.session, tenant, is_admin=admin,
                                                          role="worker" if worker else "tenant",
                                                          quota_bytes=quota_bytes)
        return raw
    finally:
        await engine.dispose()


def run_worker(settings: Settings) -> None:
    """A worker process: consumes the Redis queue with its own threads and event loop."""
    if not settings.redis_url:
        sys.exit("the worker command needs REDIS_URL; without it, `serve` runs the workers itself")
    runtime = Runtime.build(settings, run_jobs=True)
    runtime.start_worker()
    log.info("worker started with %d threads", settings.worker_threads)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    runtime.worker.stop()
    runtime.worker_runtime.close()
    runtime.broker.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="app.py", description="Mediagraph server")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the API (and, without REDIS_URL, the workers)")
    sub.add_parser("worker", help="run a worker process (needs REDIS_URL)")
    sub.add_parser("migrate", help="apply database migrations")
    key = sub.add_parser("create-api-key", help="create a tenant (if new) and print a new API key")
    key.add_argument("--tenant", required=True)
    key.add_argument("--admin", action="store_true")
    key.add_argument("--worker", action="store_true", help="a processing worker's key: may report task results")
    key.add_argument("--quota-bytes", type=int, default=None,
                     help="set the tenant's storage quota in bytes (0: none; unset: TENANT_QUOTA_BYTES)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    if args.command == "migrate":
        migrate(settings)
    elif args.command == "create-api-key":
        print(asyncio.run(_create_key(settings, args.tenant, args.admin, worker=args.worker,
                                      quota_bytes=args.quota_bytes)))
    elif args.command == "worker":
        run_worker(settings)
    else:
        import uvicorn

        uvicorn.run(create_app(settings), host="0.0.0.0", port=settings.port, log_level="info",
                    ws="websockets-sansio", proxy_headers=True, http="httptools", loop="uvloop")


if __name__ == "__main__":
    main()

"""Composition root: settings, adapters, the Litestar app (GraphQL, REST dialects, storage, health) and the CLI."""
from __future__ import annotations

import argparse
import asyncio
import hmac
import ipaddress
import os
import logging
import signal
import sys
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get, put
from litestar.config.cors import CORSConfig
from litestar.datastructures import Headers, State
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.response import File
from litestar.types import Scope
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from strawberry.exceptions import ConnectionRejectionError
from strawberry.litestar import make_graphql_controller
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.errors import AccountDisabled, DomainError, ErrorCode
from domain.events.memory import InMemoryEventBus
from domain.events.redis_bus import RedisEventBus
from domain.observability import health, logs
from domain.observability.access import RequestIds
from domain.observability.metrics import DatabaseCollector
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
from resolvers.jobs.transport import GroupedTransportWSHandler, LeanWebSocketProtocol
from rest_compat.auth import credential_from_headers, credential_from_params
from rest_compat.gate import RateLimited, address_of
from rest_compat.generator import build_compat, render_http_exception
from rest_compat.oauth import token as oauth_token
from schema import graphiql, schema
from web import pages as web_pages
from web import ranges as web_ranges
from workers import broker as broker_mod
from workers import handlers  # noqa: F401  (registers the job handlers)
from workers.engines import media as media_engine
from workers.engines import processes
from workers.engines.editing import frames as editing_frames
from workers.engines.registry import register_local
from domain.ephemeral import EphemeralSecrets
from domain.pitch import mailer
from workers import maintenance
from workers import short_lane
from workers.runner import run_job
from workers import queues as broker_queues
from workers.inflight import InFlight
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
    short_runtime: WorkerRuntime | None = None
    oidc: tokens.OidcVerifier | None = None
    tasks: list = field(default_factory=list)
    inflight: dict = field(default_factory=dict)  # per worker loop: the jobs it runs (workers/inflight.py)

    @classmethod
    def build(cls, settings: Settings, *, run_jobs: bool) -> "Runtime":
        settings = settings.with_secret()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        processes.configure(settings.media_tool_timeout_s, settings.media_tool_timeout_per_second)
        runtime = cls(settings, run_jobs)
        runtime.broker = broker_mod.build_broker(settings)
        holder: dict = {}
        long_jobs, short_jobs = InFlight(run_job), InFlight(run_job)
        runtime.inflight = {"rt": long_jobs, "short": short_jobs}
        actors = broker_mod.declare_actors(
            runtime.broker, (lambda job_id: holder["rt"].run(long_jobs.run, holder["rt"], job_id))
            if run_jobs else None,
            (lambda job_id: holder["short"].run(short_jobs.run, holder["short"], job_id)) if run_jobs else None,
        )
        webhook_actor = broker_mod.declare_webhook_actor(
            runtime.broker, (lambda delivery_id: holder["short"].run(deliver_webhook, holder["short"], delivery_id))
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
            # Short kinds get a loop (and executor and connections) of their own: long work cannot delay them.
            holder["short"] = runtime.short_runtime = WorkerRuntime(runtime.ports)
            broker_mod.lower_cpu_priority(runtime.worker_runtime, settings.long_work_nice)
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

    def start_worker_maintenance(self):
        """A worker process runs the maintenance loop too (the reaper among it), so a dead worker's job is taken back
        even with no `serve` running; on the short-work loop, which long work never holds up. Returns its future."""
        target = self.short_runtime or self.worker_runtime
        return asyncio.run_coroutine_threadsafe(
            maintenance.run_forever(target.sessionmaker, self.ports, first_grace_s=600, grace_s=600), target.loop)

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

    def stop_worker(self) -> list[str]:
        """Graceful stop: no new messages are taken, running jobs get WORKER_GRACE_S to finish, and the jobs still
        running then are stopped and put back in the queue (heartbeat cleared) for another worker. Their ids."""
        # Every lane stops taking messages at once and gets the same grace (Lanes.stop would go one after another).
        stopping = [threading.Thread(target=lane.stop, args=(int(self.settings.worker_grace_s * 1000),))
                    for lane in getattr(self.worker, "workers", [self.worker])]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join()
        self.worker = None
        released = []
        for loop_runtime, jobs in ((self.worker_runtime, self.inflight.get("rt")),
                                   (self.short_runtime, self.inflight.get("short"))):
            if loop_runtime is not None and jobs is not None:
                released += loop_runtime.run(jobs.release, loop_runtime, timeout=60)
        return released

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        if self.worker is not None:
            await asyncio.to_thread(self.stop_worker)
        if self.worker_runtime is not None:
            await asyncio.to_thread(self.worker_runtime.close)
        if self.short_runtime is not None:
            await asyncio.to_thread(self.short_runtime.close)
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
    # Caught-up subscriptions are handed to the grouped fan-out: one execution per event per group.
    graphql_transport_ws_handler_class = GroupedTransportWSHandler

    async def render_graphql_ide(self, request: Request) -> Response:
        # Self-hosted GraphiQL (schema/graphiql.py) under the same Content-Security-Policy as the console.
        return Response(self.graphql_ide_html, media_type="text/html", headers=web_pages.HEADERS)

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
    ranged = web_ranges.partial(path, request.headers.get("range"), headers)  # players seek with Range
    if ranged is not None:
        return ranged
    return File(path, media_type=headers["Content-Type"], headers={**headers, "Accept-Ranges": "bytes"})


def _file_origins(settings: Settings) -> tuple[str, ...]:
    return web_pages.file_origins(settings.public_base_url, settings.s3_endpoint_url, settings.s3_bucket,
                                  settings.aws_region, settings.storage)


def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _error(500, "INTERNAL", "internal error")


# ---------------------------------------------------------------- operating it (README "Operating it")
NO_STORE = {"Cache-Control": "no-store"}


@get("/healthz", include_in_schema=False)
async def healthz() -> Response:
    """Liveness: the process answers; nothing else is asked (no auth, no database)."""
    return Response({"status": "ok"}, headers=NO_STORE)


@get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> Response:
    """Readiness: database, Redis (when configured) and storage each answer within a short timeout."""
    state = state_of(request.scope)
    ok, checks = await health.ready(state.read_sessionmaker, state.ports)
    return Response({"status": "ok" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503,
                    headers=NO_STORE)


def _may_read_metrics(request: Request, token: str | None) -> bool:
    """With METRICS_TOKEN, a bearer of it from anywhere; without, loopback clients only (behind a trusted proxy
    uvicorn reports the forwarded address, so the world is not loopback)."""
    if token:
        return hmac.compare_digest(request.headers.get("authorization", "").encode(), f"Bearer {token}".encode())
    try:
        return ipaddress.ip_address(request.client.host if request.client else "").is_loopback
    except ValueError:
        return False


class MetricsController(PrometheusController):
    """The plugin's exposition (requests, process) plus this deployment's own collector (jobs, queues, webhooks)."""

    @get(include_in_schema=False)
    async def get(self, request: Request) -> Response:
        if not _may_read_metrics(request, state_of(request.scope).ports.settings.metrics_token):
            return _error(403, "FORBIDDEN", "metrics are for loopback clients or bearers of METRICS_TOKEN")
        collector: DatabaseCollector = request.app.state.metrics
        await collector.refresh()
        body = generate_latest(REGISTRY) + generate_latest(request.app.state.metrics_registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST, headers=NO_STORE)


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
        app.state.metrics = DatabaseCollector(runtime.read_sessionmaker, lambda: broker_queues.depths(runtime.broker),
                                              window_s=runtime.settings.metrics_window_s)
        app.state.metrics_registry = app.state.metrics.registry()
        runtime.start_worker()
        await runtime.start_reaper()
        try:
            yield
        finally:
            await runtime.close()

    compat = build_compat(runtime.settings, Throttle(runtime.settings.redis_url, runtime.settings.redis_namespace))
    return Litestar(
        route_handlers=[GraphQLController, upload_part, download_file, oauth_token, healthz, readyz, MetricsController,
                        *compat.route_handlers,
                        *web_pages.routers(_file_origins(runtime.settings))],
        state=State({"gate": compat.gate}),
        listeners=compat.listeners,
        lifespan=[lifespan],
        # Outermost first: the request id is bound before anything logs; request metrics by route template.
        middleware=[RequestIds,
                    PrometheusConfig(app_name="mediagraph", prefix="mediagraph", group_path=True).middleware],
        request_max_body_size=runtime.settings.max_body_bytes,
        cors_config=CORSConfig(allow_origins=["*"], expose_headers=["ETag", "X-Request-Id"], allow_headers=["*"]),
        exception_handlers={HTTPException: render_http_exception, Exception: _unexpected},
        openapi_config=None,
        logging_config=None,  # the process's logging is ours (domain/observability/logs.py): JSON lines
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


STOP_TICK_S = 0.2  # how often a worker's main thread looks for a stop signal


def run_worker(settings: Settings) -> None:
    """A worker process: consumes the Redis queue with its own threads and event loop."""
    if not settings.redis_url:
        sys.exit("the worker command needs REDIS_URL; without it, `serve` runs the workers itself")
    # The short lane runs in a supervised child (WORKER_LANES=short) with a GIL of its own; this process, the long one.
    child = short_lane.start(settings, str(Path(__file__).resolve()))
    settings = replace(settings, worker_lanes="long") if child is not None else settings
    runtime = Runtime.build(settings, run_jobs=True)
    runtime.start_worker()
    sweeping = runtime.start_worker_maintenance()
    log.info("worker started with %d threads", settings.worker_threads)
    # The handler only flips a flag: a second signal can land while the first handler runs (a parent's SIGTERM and
    # its death signal arrive together), and a handler that takes a lock (Event.set) then waits on itself forever,
    # leaving a worker that takes messages and never stops. The main thread notices the flag within a tick.
    stopping: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, _frame: stopping.append(signum))
    while not stopping:
        time.sleep(STOP_TICK_S)
    if child is not None:
        child.stopping()
    sweeping.cancel()
    log.info("worker stopping: running jobs have %g s to finish", settings.worker_grace_s)
    closing = threading.Thread(target=child.stop) if child is not None else None  # same grace, at the same time
    if closing is not None:
        closing.start()
    released = runtime.stop_worker()
    if closing is not None:
        closing.join()
    log.info("worker stopped; %d job(s) put back in the queue", len(released))
    for loop_runtime in (runtime.worker_runtime, runtime.short_runtime):
        if loop_runtime is not None:
            loop_runtime.close()
    runtime.broker.close()
    # A released job's handler was cancelled, and its ffmpeg with it, but a thread inside CTranslate2 (a
    # transcription) cannot be interrupted, and the interpreter's exit would join it: minutes of work that is now
    # another worker's. Everything of ours is written and closed, so the process ends here.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


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
    logs.configure(os.environ.get("LOG_LEVEL") or "INFO")  # JSON lines on stderr (README "Operating it")
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
                    ws=LeanWebSocketProtocol, proxy_headers=True,
                    # Fan-out sends one encoded frame to every subscriber; per-socket compression would
                    # re-encode it per socket and holds ~40 KiB of zlib state per connection.
                    ws_per_message_deflate=False, http="httptools", loop="uvloop",
                    # Our JSON logs carry the request lines (without query strings: signed URLs); on SIGTERM open
                    # websockets are closed with 1012 (service restart) and requests get WORKER_GRACE_S to finish.
                    log_config=None, access_log=False, timeout_graceful_shutdown=settings.worker_grace_s)


if __name__ == "__main__":
    main()

"""The one generator: every dialect table becomes Litestar routes, plus OpenAPI documents and Swagger UI."""
from __future__ import annotations

from dataclasses import dataclass, field

from litestar import Request, Response, Router, route
from litestar.exceptions import HTTPException
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.response import Response as LitestarResponse
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from litestar.types import Empty

from rest_compat import metrics, openapi
from rest_compat.auth import client_identity
from rest_compat.dialects import DIALECTS
from rest_compat.executor import execute, problem_response
from rest_compat.table import Dialect, Problem, Route

HTTP_CODES = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
              413: "PAYLOAD_TOO_LARGE", 429: "RATE_LIMITED"}


@dataclass
class Compat:
    route_handlers: list = field(default_factory=list)
    stores: dict[str, Store] = field(default_factory=dict)
    listeners: list = field(default_factory=list)


def _handler(dialect: Dialect, row: Route):
    async def serve(request: Request) -> Response:
        return await execute(dialect, row, request)

    serve.__name__ = f"{dialect.name}_{row.method}_{row.path}".lower().replace("/", "_").replace("{", "").replace("}", "")
    return route(row.litestar_path, http_method=[row.method], status_code=row.status, include_in_schema=False,
                 name=f"{dialect.name}:{row.method} {row.path}",
                 request_max_body_size=row.max_body or dialect.max_body or Empty)(serve)


def problem_for(dialect: Dialect, exc: HTTPException) -> Problem:
    code = HTTP_CODES.get(exc.status_code, "VALIDATION_FAILED")
    headers = dict(exc.headers or {})
    if exc.status_code == 429:
        message = "rate limit exceeded; retry after the time in Retry-After"
        # Litestar's limiter announces the window's reset (RateLimit-Reset); clients read Retry-After.
        reset = next((v for k, v in headers.items() if k.lower() == "ratelimit-reset"), "60")
        headers["Retry-After"] = str(max(1, int(reset)))
    else:
        message = str(exc.detail)
    return Problem(exc.status_code, code, message, None, headers or None)


def dialect_for(path: str) -> Dialect | None:
    return next((d for d in DIALECTS if d.matches(path)), None)


def render_http_exception(request: Request, exc: HTTPException) -> LitestarResponse:
    """Errors raised outside a row (unknown path, 405, 413, 429) still answer in the path's dialect."""
    dialect = dialect_for(request.url.path)
    problem = problem_for(dialect, exc) if dialect else None
    if dialect is None:
        return LitestarResponse({"error": {"code": HTTP_CODES.get(exc.status_code, "VALIDATION_FAILED"),
                                           "message": str(exc.detail)}},
                                status_code=exc.status_code, headers=getattr(exc, "headers", None))
    return problem_response(dialect, problem)


def _rate_limit(dialect: Dialect, store_name: str):
    config = RateLimitConfig(rate_limit=("minute", dialect.rate_limit_per_minute), store=store_name,
                             identifier_for_request=client_identity, set_rate_limit_headers=True)
    return config.middleware


def build_compat(settings) -> Compat:
    compat = Compat(listeners=[metrics.count_request])
    for dialect in DIALECTS:
        middleware = [metrics.request_log_for(dialect.name)] if dialect.name == "mediapitch" else []
        if dialect.rate_limit_per_minute:
            store_name = f"rate-limit-{dialect.name}"
            # With Redis, every API process counts in one place, so the limit holds across processes.
            compat.stores[store_name] = (
                RedisStore.with_client(url=settings.redis_url, namespace=f"{settings.redis_namespace}-{store_name}")
                if settings.redis_url else MemoryStore()
            )
            middleware.append(_rate_limit(dialect, store_name))
        compat.route_handlers.append(Router(
            path="/", route_handlers=[_handler(dialect, row) for row in dialect.routes], middleware=middleware,
            exception_handlers={HTTPException: render_http_exception},
        ))
    compat.route_handlers += openapi.routes(DIALECTS)
    return compat


def served_routes() -> list[tuple[str, str, str]]:
    return [(dialect.name, row.method, row.path) for dialect in DIALECTS for row in dialect.routes]

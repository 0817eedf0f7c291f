"""The one generator: every dialect table becomes Litestar routes, plus OpenAPI documents and Swagger UI."""
from __future__ import annotations

from dataclasses import dataclass, field

from litestar import Request, Response, Router, route
from litestar.exceptions import HTTPException
from litestar.response import Response as LitestarResponse
from litestar.types import Empty

from rest_compat import metrics, openapi
from rest_compat.auth import credential_from_headers
from rest_compat.dialects import DIALECTS
from rest_compat.executor import execute, problem_response
from rest_compat.gate import Gate, address_of
from rest_compat.table import Dialect, Problem, Route

HTTP_CODES = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
              413: "PAYLOAD_TOO_LARGE", 429: "RATE_LIMITED"}


@dataclass
class Compat:
    gate: Gate
    route_handlers: list = field(default_factory=list)
    listeners: list = field(default_factory=list)


def _handler(dialect: Dialect, row: Route):
    async def serve(request: Request) -> Response:
        # Every dialect spends from its tenant's budget: its documented figure, else RATE_LIMIT_PER_MINUTE.
        refused = await request.app.state.gate.admit(
            request.app.state.mediagraph.authenticate, credential_from_headers(request.headers),
            address_of(request.scope), dialect.name, dialect.rate_limit_per_minute)
        if refused:
            return problem_response(dialect, Problem(429, "RATE_LIMITED", refused.message, None, refused.headers))
        return await execute(dialect, row, request)

    serve.__name__ = f"{dialect.name}_{row.method}_{row.path}".lower().replace("/", "_").replace("{", "").replace("}", "")
    return route(row.litestar_path, http_method=[row.method], status_code=row.status, include_in_schema=False,
                 name=f"{dialect.name}:{row.method} {row.path}",
                 request_max_body_size=row.max_body or dialect.max_body or Empty)(serve)


def problem_for(dialect: Dialect, exc: HTTPException) -> Problem:
    code = HTTP_CODES.get(exc.status_code, "VALIDATION_FAILED")
    headers = dict(exc.headers or {})
    if exc.status_code == 429 and not any(k.lower() == "retry-after" for k in headers):
        headers["Retry-After"] = "60"
    return Problem(exc.status_code, code, str(exc.detail), None, headers or None)


def dialect_for(path: str) -> Dialect | None:
    return next((d for d in DIALECTS if d.matches(path)), None)


def render_http_exception(request: Request, exc: HTTPException) -> LitestarResponse:
    """Errors raised outside a row (unknown path, 405, 413, 429) still answer in the path's dialect."""
    if exc.status_code == 429 and request.url.path == "/graphql":
        # GraphQL clients read errors[].extensions.code, whatever the transport status.
        return LitestarResponse({"errors": [{"message": str(exc.detail), "extensions": {"code": "RATE_LIMITED"}}]},
                                status_code=429, headers=exc.headers)
    dialect = dialect_for(request.url.path)
    problem = problem_for(dialect, exc) if dialect else None
    if dialect is None:
        return LitestarResponse({"error": {"code": HTTP_CODES.get(exc.status_code, "VALIDATION_FAILED"),
                                           "message": str(exc.detail)}},
                                status_code=exc.status_code, headers=getattr(exc, "headers", None))
    return problem_response(dialect, problem)


def build_compat(settings, throttle) -> Compat:
    # The app keeps the gate in its state: /graphql, its websockets and /oauth/token spend through it too.
    compat = Compat(gate=Gate(settings, throttle), listeners=[metrics.count_request])
    for dialect in DIALECTS:
        middleware = [metrics.request_log_for(dialect.name)] if dialect.name == "mediapitch" else []
        compat.route_handlers.append(Router(
            path="/", route_handlers=[_handler(dialect, row) for row in dialect.routes], middleware=middleware,
            exception_handlers={HTTPException: render_http_exception},
        ))
    compat.route_handlers += openapi.routes(DIALECTS)
    return compat

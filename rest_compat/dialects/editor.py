"""Video editor backend (`/api/...`): the document's bodies; errors as `{"detail", "code"}`."""
from __future__ import annotations

import msgspec

from rest_compat.table import Dialect, Problem, Route


class Error(msgspec.Struct):
    detail: str
    code: str


class Health(msgspec.Struct):
    status: str
    storage: str
    broker: str


class Me(msgspec.Struct):
    id: str
    name: str
    is_admin: bool


def render_error(problem: Problem) -> dict:
    return {"detail": problem.message, "code": problem.code}


ROUTES = [
    Route("GET", "/api/health", "{ health { status storage broker } }", "health", lambda v, c: v, auth=False,
          response=Health, summary="Liveness (no key needed)"),
    Route("GET", "/api/me", "{ me { tenantId name isAdmin } }", "me",
          lambda v, c: {"id": v["tenantId"], "name": v["name"], "is_admin": v["isAdmin"]}, response=Me,
          summary="The authenticated user's profile"),
]

DIALECT = Dialect(
    name="editor", title="Video editor backend", description="Editor backend API: projects, segments, generation, exports.",
    prefixes=(r"^/api/(?!v1/)",), routes=ROUTES, render_error=render_error, error_schema=Error,
)

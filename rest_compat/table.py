"""What a row is: one documented method and path as data, and what a dialect's conventions are."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from domain.errors import ErrorCode

PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Call:
    """What one request brought, after validation: path parameters, query and body."""

    path: dict[str, str]
    query: Any
    body: Any
    files: dict = field(default_factory=dict)
    # For rows that stream files after the operation (clip downloads): the app's state and who asked.
    state: Any = None
    viewer: Any = None


def _pick(call: Call, source: str):
    where, _, name = source.partition(".")
    if where == "const":
        return name
    container = {"path": call.path, "query": call.query, "body": call.body}[where]
    if not name:
        return container
    return container.get(name) if isinstance(container, dict) else getattr(container, name, None)


@dataclass(frozen=True)
class Route:
    """One documented route: the GraphQL operation it runs and how the request and answer map.

    `variables` maps GraphQL variable names to sources ("path.asset_id", "query.page", "body.filename",
    "body" for the whole body); a callable is used where a value is computed (paging offsets).
    `view` renders the operation's `root` field as the dialect's response body.
    """

    method: str
    path: str
    operation: str
    root: str
    view: Callable[[Any, Call], Any]
    variables: dict[str, str] | Callable[[Call], dict] = field(default_factory=dict)
    body: type | None = None
    query: type | None = None
    response: Any = None
    status: int = 200
    auth: bool = True
    payload: bool = False
    summary: str = ""
    max_body: int | None = None
    # multipart/form-data: `body` describes the text fields, `files` names the file fields.
    files: tuple[str, ...] = ()
    # False for a row beyond its API document (an extension): served and in OpenAPI, not counted by the coverage.
    documented: bool = True

    def bind(self, call: Call) -> dict:
        if callable(self.variables):
            return self.variables(call)
        values = {name: _pick(call, source) for name, source in self.variables.items()}
        return {k: v for k, v in values.items() if v is not None}

    @property
    def idempotent(self) -> bool:
        """Takes an `Idempotency-Key` header: every POST that changes something (runs a mutation)."""
        return self.method == "POST" and self.operation.lstrip().startswith("mutation")

    @property
    def litestar_path(self) -> str:
        return PARAM.sub(r"{\1:str}", self.path)

    @property
    def path_params(self) -> list[str]:
        return PARAM.findall(self.path)


DEFAULT_STATUS = {
    ErrorCode.NOT_FOUND: 404, ErrorCode.VALIDATION_FAILED: 422, ErrorCode.CONFLICT: 409,
    ErrorCode.UNAUTHENTICATED: 401, ErrorCode.FORBIDDEN: 403, ErrorCode.RESULT_NOT_READY: 404,
    ErrorCode.PAYLOAD_TOO_LARGE: 413, ErrorCode.QUOTA_EXCEEDED: 413, ErrorCode.RATE_LIMITED: 429, ErrorCode.NO_PROVIDER: 422,
    ErrorCode.UNSUPPORTED_LANGUAGE: 422, ErrorCode.MEDIA_UNREADABLE: 422, ErrorCode.UNSUPPORTED_MEDIA: 422,
    ErrorCode.AUDIO_UNREADABLE: 422,
    ErrorCode.UNSUPPORTED_PROMPT: 422,
    ErrorCode.NOT_SUPPORTED: 422, ErrorCode.BRANDING_VARIANT_MISSING: 422, ErrorCode.CANCELLED: 409,
    ErrorCode.PROVIDER_UNAVAILABLE: 503, ErrorCode.EXPORT_FAILED: 502, ErrorCode.INTERNAL: 500,
    # Idempotency-Key: another request under a used key is 422 (IETF draft-ietf-httpapi-idempotency-key-header),
    # the key while its first request runs 409.
    ErrorCode.IDEMPOTENCY_KEY_REUSED: 422, ErrorCode.IDEMPOTENCY_KEY_IN_USE: 409,
}


@dataclass(frozen=True)
class Problem:
    """An error on its way to a client, before the dialect renders it."""

    status: int
    code: str
    message: str
    field: list[str] | None = None
    headers: dict | None = None


@dataclass(frozen=True)
class Dialect:
    name: str
    title: str
    description: str
    prefixes: tuple[str, ...]
    routes: list[Route]
    render_error: Callable[[Problem], dict]
    error_schema: type
    status_overrides: dict = field(default_factory=dict)
    rate_limit_per_minute: int | None = None
    max_body: int | None = None
    error_statuses: tuple[int, ...] = (400, 401, 404, 413, 422)
    # Body keys a row does not know: "ignore" as Laravel and FastAPI/pydantic do by default, or "reject" (422 naming
    # the key) where a document's schemas are closed. README "Unknown body keys" says which dialect does which.
    unknown_fields: Literal["ignore", "reject"] = "ignore"
    # Timestamps (`*_at` fields) as the document prints them: GraphQL's milliseconds, or whole seconds.
    timestamps: Literal["milliseconds", "seconds"] = "milliseconds"
    # A body that is not JSON at all: 400, or the document's validation status (Laravel answers 422).
    malformed_status: int = 400

    def status_for(self, code: str) -> int:
        try:
            key = ErrorCode(code)
        except ValueError:
            return 400
        return self.status_overrides.get(key, DEFAULT_STATUS.get(key, 400))

    def matches(self, path: str) -> bool:
        return any(re.match(prefix, path) for prefix in self.prefixes)

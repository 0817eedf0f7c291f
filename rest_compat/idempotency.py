"""The `Idempotency-Key` header of REST rows that change something (every POST running a mutation).

The key and a fingerprint of the request (dialect, method, route, path parameters, query, body as decoded, the
files' digests; the tenant is added on claiming) ride to the row's mutation (resolvers/payloads.py), which
claims the key and records the created objects with them. The answer sent is then kept, so a retry gets it again
byte for byte, with `Idempotent-Replayed: true`."""
from __future__ import annotations

import asyncio
import base64

import msgspec
from litestar import Response

from resolvers import payloads
from rest_compat.table import Call, Dialect, Route

HEADER = "idempotency-key"
REPLAYED = "Idempotent-Replayed"


def check(row: Route, request) -> None:
    """DomainError (VALIDATION_FAILED naming the header) for a key that is not 1-255 printable ASCII characters."""
    key = request.headers.get(HEADER)
    if key is not None and row.idempotent:
        payloads.checked(key, ["Idempotency-Key"])


async def asked(dialect: Dialect, row: Route, request, call: Call) -> payloads.Asked | None:
    key = request.headers.get(HEADER)
    if key is None or not row.idempotent or call.viewer is None:
        return None
    files = {name: await asyncio.to_thread(payloads.digest, getattr(upload, "file", upload))
             for name, upload in call.files.items()}
    parts = ("rest", dialect.name, row.method, row.path, call.path, msgspec.to_builtins(call.query),
             msgspec.to_builtins(call.body), files)
    return payloads.Asked(key, parts, f"{row.method} {row.path}", ["Idempotency-Key"])


async def replay(state, viewer, ask: payloads.Asked) -> Response | None:
    """The answer sent the first time, when the same request already finished under this key (DomainError on a
    key that is not a valid one)."""
    kept = await payloads.stored_response(state, viewer, ask)
    if kept is None:
        return None
    content = kept["json"] if "json" in kept else base64.b64decode(kept["bytes"])
    return Response(content, status_code=kept["status"], media_type=kept.get("media_type"),
                    headers={**kept["headers"], REPLAYED: "true"})


async def remember(state, ask: payloads.Asked | None, response: Response) -> Response:
    """Keep the answer as sent when this request created something under its key (a stream is not kept: a retry
    then renders the recorded objects again)."""
    if ask is None:
        return response
    if ask.replayed:
        response.headers[REPLAYED] = "true"
        return response
    if type(response) is not Response:  # a file, stream or redirect
        return response
    content = response.content
    if isinstance(content, (bytes, str)):
        body = {"bytes": base64.b64encode(content if isinstance(content, bytes) else content.encode()).decode()}
    else:
        try:
            body = {"json": msgspec.to_builtins(content)}
        except TypeError:
            return response
    await payloads.remember_response(state, ask, {
        "status": response.status_code, "media_type": str(response.media_type) if response.media_type else None,
        "headers": {k: str(v) for k, v in response.headers.items()}, **body})
    return response

"""The request-id middleware (plain ASGI): binds the id for the request's logs and jobs, echoes it, logs the request."""
from __future__ import annotations

import time

import structlog

from domain.observability import context, logs

log = logs.get("mediagraph.access")


class RequestIds:
    """Outermost layer of every route: `X-Request-Id` in, the same id out, one access line per HTTP request.

    The access line names the path without its query string: signed URLs carry their signature there.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        incoming = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"x-request-id"), None)
        request_id = context.accept(incoming)
        status = {"code": 500}

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message = {**message, "headers": [*message.get("headers", ()),
                                                  (b"x-request-id", request_id.encode())]}
            await send(message)

        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id if scope["type"] == "http" else send)
            finally:
                if scope["type"] == "http":
                    log.info("request", method=scope.get("method"), path=scope.get("path"), status=status["code"],
                             duration_ms=round((time.perf_counter() - started) * 1000, 1))

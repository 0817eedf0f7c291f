"""Request accounting for dialects that promise it (MediaPitch): a log line and an ApiRequestHandled event."""
from __future__ import annotations

import logging
import time
from collections import Counter

from litestar import Request
from litestar.events import listener

log = logging.getLogger("mediagraph.api")
HANDLED: Counter = Counter()


async def stamp_start(request: Request) -> None:
    request.state.started = time.perf_counter()


def after_response_for(dialect: str):
    async def after(request: Request) -> None:
        latency_ms = (time.perf_counter() - getattr(request.state, "started", time.perf_counter())) * 1000
        user = getattr(request.state, "viewer_name", None)
        remote = request.client.host if request.client else None
        log.info("%s %s %.1fms user=%s ip=%s", request.method, request.url.path, latency_ms, user, remote)
        request.app.emit("ApiRequestHandled", dialect=dialect, method=request.method, path=request.url.path,
                         latency_ms=latency_ms, user=user, ip=remote)

    return after


@listener("ApiRequestHandled")
async def count_request(dialect: str, method: str, path: str, latency_ms: float, user: str | None, ip: str | None) -> None:
    HANDLED[(dialect, method, path)] += 1

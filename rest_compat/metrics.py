"""Request accounting for dialects that promise it (MediaPitch): a log line and an ApiRequestHandled event."""
from __future__ import annotations

import logging
import time
from collections import Counter

from litestar.events import listener
from litestar.exceptions import HTTPException
from litestar.middleware.base import AbstractMiddleware

log = logging.getLogger("mediagraph.api")
HANDLED: Counter = Counter()


def request_log_for(dialect: str):
    """Outermost middleware of the dialect's router: sees every request, rate-limited ones included."""

    class RequestLog(AbstractMiddleware):
        async def __call__(self, scope, receive, send) -> None:
            started, status = time.perf_counter(), [500]

            async def capture(message) -> None:
                if message["type"] == "http.response.start":
                    status[0] = message["status"]
                await send(message)

            try:
                await self.app(scope, receive, capture)
            except HTTPException as exc:
                status[0] = exc.status_code
                raise
            finally:
                latency_ms = (time.perf_counter() - started) * 1000
                user = scope.get("state", {}).get("viewer_name")
                client = scope.get("client")
                remote = client[0] if client else None
                log.info("%s %s %s %.1fms user=%s ip=%s", scope["method"], scope["path"], status[0], latency_ms,
                         user, remote)
                scope["litestar_app"].emit("ApiRequestHandled", dialect=dialect, method=scope["method"],
                                           path=scope["path"], status=status[0], latency_ms=latency_ms, user=user,
                                           ip=remote)

    return RequestLog


@listener("ApiRequestHandled")
async def count_request(dialect: str, method: str, path: str, status: int, latency_ms: float, user: str | None,
                        ip: str | None) -> None:
    HANDLED[(dialect, method, path, status)] += 1

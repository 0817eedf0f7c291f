"""A websocket's outgoing fan-out frames: written at once, never awaited, and a socket that cannot keep up is shed.

Under our uvicorn protocol (`LeanWebSocketProtocol`, which offers itself in the scope's extensions) a frame is
written straight to the socket's transport: no coroutine, no ASGI message, no wait on other sockets. The
transport's write buffer is the outbox: once a socket is OUTBOX_BYTES behind (the client stopped reading), or has
been paused for OUTBOX_S while events keep coming, it is closed with 1013 (try again later); graphql-ws clients
reconnect and resume with `after`. Under any other ASGI server the frames go through the ASGI `send` from one
task per backlogged socket, with the same bounds."""
from __future__ import annotations

import asyncio
import logging
import time
from collections import deque

log = logging.getLogger(__name__)
EXTENSION = "mediagraph.outbox"  # scope["extensions"][EXTENSION] = {"protocol": <LeanWebSocketProtocol>}
OUTBOX_BYTES = 1 << 20  # unsent bytes a socket may hold before it is shed
OUTBOX_S = 30.0  # how long a socket may stay unable to take more before it is shed
SHED_CODE, SHED_REASON = 1013, "too far behind: reconnect and resume with `after`"
SHED_GRACE_S = 30.0  # a shed socket's close frame waits behind its backlog this long, then the connection is dropped


def outbox_of(handler) -> "Outbox":
    """The connection's outbox (one per websocket, made on its first hand-over)."""
    outbox = handler.outbox
    if outbox is None:
        ws = handler.websocket.ws
        protocol = ws.scope.get("extensions", {}).get(EXTENSION, {}).get("protocol")
        outbox = handler.outbox = Outbox(protocol, ws)
    return outbox


class Outbox:
    __slots__ = ("protocol", "ws", "pending", "task", "since")

    def __init__(self, protocol, ws):
        self.protocol, self.ws = protocol, ws
        self.pending: deque | None = None  # ASGI path only: frames not yet sent
        self.task: asyncio.Task | None = None
        self.since = 0.0

    def post(self, frame: bytes) -> None:
        """Queue one encoded text message; returns at once."""
        if self.protocol is not None:
            self.protocol.post(frame, OUTBOX_BYTES, OUTBOX_S, SHED_CODE, SHED_REASON, SHED_GRACE_S)
            return
        if self.pending is None:
            self.pending, self.since = deque(), time.monotonic()
        elif (sum(map(len, self.pending)) > OUTBOX_BYTES or time.monotonic() - self.since > OUTBOX_S) \
                and self.task is not None:
            self.task.cancel()  # stuck in a send that will not return: shed the socket
            self.pending = None
            asyncio.get_running_loop().create_task(self._close())
            return
        self.pending.append(frame)
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self.pending:
                await self.ws.send({"type": "websocket.send", "text": self.pending.popleft().decode()})
                self.since = time.monotonic()
        except Exception:  # the socket went away; its shutdown removes the subscriptions
            log.debug("dropping frames for a closed websocket", exc_info=True)
        finally:
            self.pending, self.task = None, None

    async def _close(self) -> None:
        try:
            await self.ws.close(code=SHED_CODE, reason=SHED_REASON)
        except Exception:
            log.debug("closing a shed websocket failed", exc_info=True)

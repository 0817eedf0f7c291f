"""graphql-transport-ws as strawberry speaks it, plus the hand-over of caught-up subscriptions to the grouped
fan-out (resolvers/jobs/fanout.py): such an operation keeps its id but no task, generator or context of its own."""
from __future__ import annotations

import asyncio
import struct
from contextlib import suppress

from msgspec.structs import replace
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
    _OperationStreamClosed,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import CompleteMessage
from strawberry.utils.aio import aclosing
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from resolvers.jobs.fanout import Member
from resolvers.jobs.outbox import EXTENSION, outbox_of


class Join:
    """Where a subscription's resolver hands it over: this connection, this operation id."""

    __slots__ = ("handler", "operation")

    def __init__(self, handler: "GroupedTransportWSHandler", operation: Operation):
        self.handler, self.operation = handler, operation

    @property
    def query(self) -> str:
        return self.operation.query

    @property
    def variables(self) -> dict | None:
        return self.operation.variables

    @property
    def operation_name(self) -> str | None:
        return self.operation.operation_name

    def hand_over(self, slot, member: Member) -> None:
        """From now on the group sends this operation's events; the slot is released when it ends."""
        slot.kept = True
        member.attach(slot, self.handler, self.operation.id, outbox_of(self.handler))
        if self.handler.operations.get(self.operation.id) is self.operation:
            self.handler.operations[self.operation.id] = member
        else:  # the client completed it (or left) while it was catching up
            asyncio.get_running_loop().create_task(member.leave())


class GroupedTransportWSHandler(BaseGraphQLTransportWSHandler):
    outbox = None  # the connection's fan-out outbox (resolvers/jobs/outbox.py), made on its first hand-over

    async def handle_connection_init(self, message) -> None:
        await super().handle_connection_init(message)
        self.connection_init_timeout_task = None  # cancelled by now: keep no finished task per connection

    async def run_operation(self, operation: Operation) -> None:
        """strawberry's, with a context of the operation's own (a socket runs many at once; each begins its own
        transaction) that can hand the operation over, and no `complete` for one that was handed over."""
        try:
            result_source = await self.schema.stream(
                operation.query,
                variable_values=operation.variables,
                context_value=replace(self.context, stream=Join(self, operation)),
                root_value=self.root_value,
                operation_name=operation.operation_name,
            )
            async with aclosing(result_source):
                await self._send_result_stream(operation, result_source)
            if self.operations.get(operation.id) is operation:
                await operation.send_operation_message(CompleteMessage(id=operation.id, type="complete"))
        except _OperationStreamClosed:
            return
        except Exception as error:  # pragma: no cover - as strawberry does
            await self.handle_task_exception(error)
            with suppress(Exception):
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            if self.operations.get(operation.id) is operation:
                self.operations.pop(operation.id, None)
            raise

    async def cleanup_operation(self, operation_id: str) -> None:
        operation = self.operations.pop(operation_id, None)
        if isinstance(operation, Member):
            await operation.leave()
        elif operation is not None:
            operation.task.cancel()

    async def shutdown(self) -> None:
        await super().shutdown()
        socket = getattr(self.context, "socket", None)
        if socket is not None:
            socket.close()


def _text_frame(data: bytes) -> bytes:
    """One unmasked, unfragmented text frame (RFC 6455 5.2), as a server sends it."""
    size = len(data)
    if size < 126:
        return bytes((0x81, size)) + data
    if size < 65536:
        return struct.pack("!BBH", 0x81, 126, size) + data
    return struct.pack("!BBQ", 0x81, 127, size) + data


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol, minus the parsed handshake once it is answered (about 5 KiB of header
    objects per open socket that nothing reads again), plus `post`: the fan-out's synchronous write of a frame."""

    paused_at: float | None = None

    def handle_connect(self, event) -> None:
        super().handle_connect(event)
        if self.response.status_code == 101:  # offered to the app: resolvers/jobs/outbox.py writes through `post`
            self.scope["extensions"][EXTENSION] = {"protocol": self}

    async def send(self, message) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept" and self.handshake_complete:
            self.request = self.response = None

    def pause_writing(self) -> None:
        super().pause_writing()
        self.paused_at = self.loop.time()

    def resume_writing(self) -> None:
        super().resume_writing()
        self.paused_at = None

    def post(self, data: bytes, max_bytes: int, max_paused_s: float, code: int, reason: str, grace_s: float) -> None:
        """Write one text message now (the transport buffers what the socket cannot take yet); a socket more than
        `max_bytes` behind, or paused for `max_paused_s`, is sent a close frame with `code`, its app is told it
        disconnected, and the connection is dropped if the client has not answered the close within `grace_s`."""
        if self.close_sent or self.disconnected or self.transport.is_closing():
            return
        self.transport.write(_text_frame(data))
        if self.paused_at is not None and (self.transport.get_write_buffer_size() > max_bytes
                                           or self.loop.time() - self.paused_at > max_paused_s):
            self.queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": reason})
            self.conn.send_close(code, reason)
            self.transport.write(b"".join(self.conn.data_to_send()))
            self.close_sent = True
            if self.read_paused:
                self.read_paused = False
                self.transport.resume_reading()
            self.close_timer = self.loop.call_later(grace_s, self.transport.abort)

"""graphql-transport-ws as strawberry speaks it, plus the hand-over of caught-up subscriptions to the grouped
fan-out (resolvers/jobs/fanout.py): such an operation keeps its id but no task, generator or context of its own."""
from __future__ import annotations

import asyncio
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
        member.slot, member.handler, member.op_id = slot, self.handler, self.operation.id
        if self.handler.operations.get(self.operation.id) is self.operation:
            self.handler.operations[self.operation.id] = member
        else:  # the client completed it (or left) while it was catching up
            asyncio.get_running_loop().create_task(member.leave())


class GroupedTransportWSHandler(BaseGraphQLTransportWSHandler):
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


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol, minus the parsed handshake once it is answered (about 5 KiB of header
    objects per open socket that nothing reads again)."""

    async def send(self, message) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept" and self.handshake_complete:
            self.request = self.response = None

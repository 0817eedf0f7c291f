"""A websocket's subscriptions: caps, rate budget, and the key re-check that closes a revoked key's socket.

Subscriptions are capped per connection (in process) and per tenant (leases, in Redis when there is one); every
operation spends the tenant's GraphQL budget; the key is re-checked on each subscribe and every KEY_RECHECK_S by
one sweep over all of a process's sockets (not a task per socket: an idle socket should cost bytes, not a task)."""
from __future__ import annotations

import asyncio
import logging
import uuid
import weakref
from collections import defaultdict
from contextlib import asynccontextmanager

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from domain.observability.metrics import SUBSCRIPTIONS_OPEN

log = logging.getLogger(__name__)
REVOKED_CLOSE_CODE = 4403


def _refuse(code: str, message: str, **extensions) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extensions})


class Socket:
    """One websocket connection, from connection_init on: who it acts for and what it has open."""

    __slots__ = ("websocket", "gate", "authenticate", "credential", "viewer", "live", "settings", "__weakref__")

    def __init__(self, websocket, gate, authenticate, credential: str, viewer):
        self.websocket, self.gate, self.authenticate = websocket, gate, authenticate
        self.credential, self.viewer = credential, viewer
        self.live: set[str] = set()
        self.settings = gate.settings
        _sweeper(gate).add(self)

    @property
    def lease_ttl_s(self) -> float:
        # Renewed every re-check: a lease outlives a few missed renewals, not a crashed process for long.
        return max(15.0, 3 * self.settings.key_recheck_s)

    async def key_valid(self, max_age_s: float = 0.0) -> bool:
        return await self.gate.still_valid(self.authenticate, self.credential, max_age_s)

    def close(self) -> None:
        """The connection ended: stop re-checking it."""
        _sweeper(self.gate).discard(self)


class _Sweeper:
    """Every KEY_RECHECK_S: re-check each open socket's key (many sockets of one key share one lookup), close the
    revoked ones with 4403, and renew the live sockets' leases, one call per tenant."""

    def __init__(self, settings, throttle):
        self.settings, self.throttle = settings, throttle
        self.sockets: set[Socket] = set()
        self.task: asyncio.Task | None = None

    def add(self, socket: Socket) -> None:
        self.sockets.add(socket)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, socket: Socket) -> None:
        self.sockets.discard(socket)

    async def _run(self) -> None:
        while self.sockets:
            await asyncio.sleep(self.settings.key_recheck_s)
            try:
                await self.sweep()
            except Exception:  # a passing database or Redis hiccup: try again next round
                log.warning("websocket re-check failed", exc_info=True)

    async def sweep(self) -> None:
        leases: dict[str, list[str]] = defaultdict(list)
        ttl = max(15.0, 3 * self.settings.key_recheck_s)
        for socket in list(self.sockets):
            if socket.websocket.connection_state == "disconnect":
                self.sockets.discard(socket)
                continue
            if not await socket.key_valid(max_age_s=self.settings.key_recheck_s / 2):
                self.sockets.discard(socket)
                await socket.websocket.close(code=REVOKED_CLOSE_CODE, reason="the API key was revoked or disabled")
                continue
            leases[str(socket.viewer.tenant_id)].extend(socket.live)
        for tenant, members in leases.items():
            await self.throttle.renew(tenant, members, ttl)


_SWEEPERS: "weakref.WeakKeyDictionary[object, _Sweeper]" = weakref.WeakKeyDictionary()


def _sweeper(gate) -> _Sweeper:
    sweeper = _SWEEPERS.get(gate)
    if sweeper is None:
        sweeper = _SWEEPERS[gate] = _Sweeper(gate.settings, gate.throttle)
    return sweeper


class Slot:
    """One admitted subscription's place: its connection slot and tenant lease, held until released (a
    subscription handed to the grouped fan-out keeps it after its resolver has returned)."""

    __slots__ = ("socket", "member", "leased", "kept")

    def __init__(self, socket: Socket | None, member: str | None = None):
        self.socket, self.member, self.leased, self.kept = socket, member, False, False

    async def release(self) -> None:
        socket, self.socket = self.socket, None
        if socket is None:
            return
        socket.live.discard(self.member)
        if self.leased:
            SUBSCRIPTIONS_OPEN.dec()  # /metrics: mediagraph_subscriptions_open
            await asyncio.shield(socket.gate.throttle.release(str(socket.viewer.tenant_id), self.member))


@asynccontextmanager
async def admitted(info):
    """Around one subscription: refuse it (an error for that operation) or hold its slot until it ends (or, when
    `slot.kept` is set, until whoever kept it releases it)."""
    ctx = info.context
    viewer = ctx.require_viewer()
    socket: Socket | None = getattr(ctx, "socket", None)
    if socket is None:  # not over our websocket (an in-process call): nothing to count
        yield Slot(None)
        return
    settings, tenant = socket.settings, str(viewer.tenant_id)
    cap = settings.subscriptions_per_connection
    if cap > 0 and len(socket.live) >= cap:
        raise _refuse("SUBSCRIPTION_LIMIT", f"at most {cap} subscriptions may be open on one connection")
    # Claimed before the first await: subscribes sent together run concurrently and must all see each other.
    slot = Slot(socket, f"{socket.websocket.scope.get('client')}:{uuid.uuid4().hex}")
    socket.live.add(slot.member)
    try:
        if not await socket.key_valid():
            raise _refuse("FORBIDDEN", "the API key was revoked or disabled")
        refused = await socket.gate.charge("graphql", viewer.tenant_id)
        if refused:
            raise _refuse("RATE_LIMITED", refused.message, retryAfter=refused.retry_after)
        slot.leased = await socket.gate.throttle.acquire(tenant, slot.member, settings.subscriptions_per_tenant,
                                                         socket.lease_ttl_s)
        if not slot.leased:
            raise _refuse("SUBSCRIPTION_LIMIT", f"at most {settings.subscriptions_per_tenant} subscriptions may be "
                                                "open per account")
        SUBSCRIPTIONS_OPEN.inc()  # a leased subscription; `Slot.release` counts it out
        yield slot
    finally:
        if not slot.kept:
            await slot.release()


class SocketBudget(SchemaExtension):
    """Queries and mutations sent over a websocket spend the tenant's GraphQL budget as HTTP ones do
    (a subscription spends it in `admitted`)."""

    async def on_execute(self):
        ctx = self.execution_context
        socket: Socket | None = getattr(ctx.context, "socket", None)
        if socket is not None and ctx.operation_type != OperationType.SUBSCRIPTION:
            refused = await socket.gate.charge("graphql", socket.viewer.tenant_id)
            if refused:
                raise _refuse("RATE_LIMITED", refused.message, retryAfter=refused.retry_after)
        yield

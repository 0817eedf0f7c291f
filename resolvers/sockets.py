"""A websocket's subscriptions: caps, rate budget, and the key re-check that closes a revoked key's socket.

Subscriptions are capped per connection (in process) and per tenant (leases, in Redis when there is one); every
operation spends the tenant's GraphQL budget; the key is re-checked on each subscribe and every KEY_RECHECK_S."""
from __future__ import annotations

import asyncio
import logging
import uuid
from contextlib import asynccontextmanager

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

log = logging.getLogger(__name__)
REVOKED_CLOSE_CODE = 4403


def _refuse(code: str, message: str, **extensions) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extensions})


class Socket:
    """One websocket connection, from connection_init on: who it acts for and what it has open."""

    def __init__(self, websocket, gate, authenticate, credential: str, viewer):
        self.websocket, self.gate, self.authenticate = websocket, gate, authenticate
        self.credential, self.viewer = credential, viewer
        self.live: set[str] = set()
        self.settings = gate.settings
        self.watcher = asyncio.get_running_loop().create_task(self._watch())

    @property
    def lease_ttl_s(self) -> float:
        # Renewed every re-check: a lease outlives a few missed renewals, not a crashed process for long.
        return max(15.0, 3 * self.settings.key_recheck_s)

    async def key_valid(self, max_age_s: float = 0.0) -> bool:
        return await self.gate.still_valid(self.authenticate, self.credential, max_age_s)

    async def _watch(self) -> None:
        """Re-check the key every KEY_RECHECK_S and keep this socket's leases alive while it is open."""
        failures = 0
        while self.websocket.connection_state != "disconnect" and failures < 5:
            await asyncio.sleep(self.settings.key_recheck_s)
            try:
                if not await self.key_valid(max_age_s=self.settings.key_recheck_s / 2):
                    await self.websocket.close(code=REVOKED_CLOSE_CODE, reason="the API key was revoked or disabled")
                    return
                await self.gate.throttle.renew(str(self.viewer.tenant_id), list(self.live), self.lease_ttl_s)
                failures = 0
            except Exception:  # a passing database hiccup: try again next round; a dead socket: give up
                failures += 1
                log.debug("websocket re-check failed", exc_info=True)


@asynccontextmanager
async def admitted(info):
    """Around one subscription: refuse it (an error for that operation) or hold its slot until it ends."""
    ctx = info.context
    viewer = ctx.require_viewer()
    socket: Socket | None = getattr(ctx, "socket", None)
    if socket is None:  # not over our websocket (an in-process call): nothing to count
        yield
        return
    settings, tenant = socket.settings, str(viewer.tenant_id)
    cap = settings.subscriptions_per_connection
    if cap > 0 and len(socket.live) >= cap:
        raise _refuse("SUBSCRIPTION_LIMIT", f"at most {cap} subscriptions may be open on one connection")
    # Claimed before the first await: subscribes sent together run concurrently and must all see each other.
    member = f"{socket.websocket.scope.get('client')}:{uuid.uuid4().hex}"
    socket.live.add(member)
    leased = False
    try:
        if not await socket.key_valid():
            raise _refuse("FORBIDDEN", "the API key was revoked or disabled")
        refused = await socket.gate.charge("graphql", viewer.tenant_id)
        if refused:
            raise _refuse("RATE_LIMITED", refused.message, retryAfter=refused.retry_after)
        leased = await socket.gate.throttle.acquire(tenant, member, settings.subscriptions_per_tenant,
                                                    socket.lease_ttl_s)
        if not leased:
            raise _refuse("SUBSCRIPTION_LIMIT", f"at most {settings.subscriptions_per_tenant} subscriptions may be "
                                                "open per account")
        yield
    finally:
        socket.live.discard(member)
        if leased:
            await asyncio.shield(socket.gate.throttle.release(tenant, member))


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

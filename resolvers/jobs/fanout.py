"""Grouped fan-out of job events: one bus subscription per process; each event is executed once per group of
subscriptions that share (document, variables, tenant, role) and the same bytes go to all (resolvers/jobs/outbox.py).

A subscription joins its group queued (its resolver replays the log and yields what arrived meanwhile, executed
for it alone); once caught up it is handed over and costs a few hundred bytes until it ends. The dispatcher
follows each tenant's sequence: a jump (events lost while Redis was away) and a Redis reconnect are filled from the
event log, and each subscription's own cursor drops anything it already has."""
from __future__ import annotations

import asyncio
import json
import logging
import uuid
import weakref
from contextlib import asynccontextmanager
from dataclasses import dataclass

from graphql import DocumentNode, execute
from graphql.pyutils import is_awaitable

from domain.db import UnitOfWork
from domain.events import log as event_log
from domain.events.memory import RESYNC
from domain.jobs.models import TERMINAL
from domain.jobs.snapshot import JobSnapshot
from resolvers.context import Context
from resolvers.errors import _render as render_error

log = logging.getLogger(__name__)
PAGE = 500  # events per read of the log


@dataclass(frozen=True)
class Watch:
    """Which of its tenant's events a subscription wants, and whether one of them ends it."""

    job_id: uuid.UUID | None = None
    asset_id: uuid.UUID | None = None
    kinds: frozenset = frozenset()
    until_terminal: bool = False

    def wants(self, event: JobSnapshot) -> bool:
        return ((self.job_id is None or event.id == self.job_id)
                and (self.asset_id is None or event.asset_id == self.asset_id)
                and (not self.kinds or event.kind in self.kinds))

    def ends(self, event: JobSnapshot) -> bool:
        return self.until_terminal and event.status in TERMINAL


class Member:
    """One subscription in its group: its cursor, and either its queue (still with its resolver) or its socket."""

    __slots__ = ("group", "after", "version", "queue", "handler", "op_id", "slot", "head", "outbox", "__weakref__")
    task = None  # strawberry's shutdown looks for an operation task; a handed-over subscription has none

    def __init__(self, group: "Group", after: int | None):
        self.group, self.after, self.version = group, after, -1
        self.queue: asyncio.Queue | None = asyncio.Queue()
        self.handler = self.op_id = self.slot = self.head = self.outbox = None

    def attach(self, slot, handler, op_id: str, outbox) -> None:  # handed over: its frames go to `outbox`
        self.slot, self.handler, self.op_id, self.outbox = slot, handler, op_id, outbox
        self.head = b'{"id":' + json.dumps(op_id).encode() + b',"type":"'  # each frame's start, made once

    def fresh(self, event: JobSnapshot) -> bool:
        """Not sent yet: past this subscription's cursor (and, for one job, past the version it has)."""
        if event.sequence is not None and self.after is not None and event.sequence <= self.after:
            return False
        return not (event.id == self.group.watch.job_id and event.version <= self.version)

    def mark(self, event: JobSnapshot) -> None:
        if event.sequence is not None:
            self.after = event.sequence
        if event.id == self.group.watch.job_id:
            self.version = event.version

    async def live(self, hand_over=None):
        """Events since joining, in order; with `hand_over`, once caught up it is handed to the group at once."""
        while True:
            if hand_over is not None and self.queue.empty():
                self.queue = None
                hand_over(self)
                return
            event = await self.queue.get()
            if self.fresh(event):
                self.mark(event)
                yield event

    def post(self, kind: bytes, payload: bytes = b"") -> None:  # one frame (`next` or `complete`), never awaited
        self.outbox.post(self.head + kind + (b'","payload":' + payload if payload else b'"') + b"}")

    def complete(self) -> None:  # the subscription ended (its job did): tell the client; `leave` follows
        if self.handler is not None and self.handler.operations.pop(self.op_id, None) is self:
            self.post(b"complete")

    async def leave(self) -> None:
        self.handler = None  # an event being rendered now is not sent after the client's `complete`
        self.group.remove(self)
        slot, self.slot = self.slot, None
        if slot is not None:
            await slot.release()


class Group:
    """Subscriptions that would all get the same bytes: executed once per event."""

    __slots__ = ("key", "feed", "watch", "members", "document", "variables", "operation_name", "state", "viewer",
                 "schema")

    def __init__(self, key, feed: "Feed", watch: Watch, info, join):
        self.key, self.feed, self.watch, self.members = key, feed, watch, set()
        raw = info._raw_info
        self.document = DocumentNode(definitions=(raw.operation, *raw.fragments.values()))
        self.variables = join.variables if join is not None else None
        self.operation_name = raw.operation.name.value if raw.operation.name else None
        self.state, self.viewer, self.schema = info.context.state, info.context.viewer, info.schema

    def remove(self, member: Member) -> None:
        self.members.discard(member)
        if not self.members and self.feed.groups.get(self.key) is self:
            del self.feed.groups[self.key]
            self.feed.dispatcher.drop_if_idle(self.feed)

    async def render(self, event: JobSnapshot) -> bytes:
        """The `next` payload for this event, executed in a fresh read transaction closed right after."""
        ctx = Context(state=self.state, viewer=self.viewer)
        ctx.begin()
        try:
            result = execute(self.schema._schema, self.document, root_value=event, context_value=ctx,
                             variable_values=self.variables, operation_name=self.operation_name)
            if is_awaitable(result):
                result = await result
        finally:
            await ctx.uow.rollback()
            await ctx.uow.close()
        payload: dict = {"data": result.data}
        if result.errors:
            self.schema.process_errors(result.errors)
            payload["errors"] = [render_error(error).formatted for error in result.errors]
        return json.dumps(payload, separators=(",", ":")).encode()


class Feed:
    """One tenant's subscriptions in this process and the last sequence they were given."""

    __slots__ = ("tenant_id", "dispatcher", "groups", "last")

    def __init__(self, tenant_id: uuid.UUID, dispatcher: "Dispatcher"):
        self.tenant_id, self.dispatcher, self.groups, self.last = tenant_id, dispatcher, {}, None

    def floor(self) -> int | None:
        """The sequence everything here has up to: the last one delivered, or before any, the lowest cursor of the
        handed-over subscriptions (those still with their resolver read the log themselves)."""
        if self.last is not None:
            return self.last
        cursors = [m.after for g in self.groups.values() for m in g.members if m.queue is None and m.after is not None]
        return min(cursors, default=None)


class Dispatcher:
    """The process's one reader of the bus (per event bus): events to groups, in each tenant's sequence."""

    def __init__(self, bus):
        self.bus = bus
        self.feeds: dict[uuid.UUID, Feed] = {}
        self.task: asyncio.Task | None = None
        self.ready = asyncio.Event()
        self.state = None

    async def start(self, state) -> None:
        self.state = state
        if self.task is None or self.task.done():
            self.ready = asyncio.Event()
            self.task = asyncio.get_running_loop().create_task(self._run())
        await self.ready.wait()

    def join(self, info, watch: Watch, join, after: int | None) -> Member:
        viewer = info.context.viewer
        feed = self.feeds.get(viewer.tenant_id)
        if feed is None:
            feed = self.feeds[viewer.tenant_id] = Feed(viewer.tenant_id, self)
        if join is None:  # an in-process subscription: executed by its own resolver, never grouped
            key = object()
        else:
            key = (join.query, join.operation_name, json.dumps(join.variables, sort_keys=True, default=str),
                   viewer.is_admin, viewer.is_worker)
        group = feed.groups.get(key)
        if group is None:
            group = feed.groups[key] = Group(key, feed, watch, info, join)
        member = Member(group, after)
        group.members.add(member)
        return member

    def drop_if_idle(self, feed: Feed) -> None:
        if not feed.groups and self.feeds.get(feed.tenant_id) is feed:
            del self.feeds[feed.tenant_id]

    async def _run(self) -> None:
        async with self.bus.subscribe(None) as stream:
            self.ready.set()
            async for event in stream:
                try:
                    if event is RESYNC:
                        for feed in list(self.feeds.values()):
                            await self._fill(feed)
                    else:
                        await self._event(event)
                except Exception:
                    log.exception("job event fan-out failed for one event")

    async def _event(self, event: JobSnapshot) -> None:
        feed = self.feeds.get(event.tenant_id)
        if feed is None:
            return
        seq, floor = event.sequence, feed.floor()
        if seq is not None and floor is not None:
            if seq <= floor:  # already delivered from the log
                return
            if seq > floor + 1:  # a gap: events published while we were not listening
                await self._fill(feed, until=seq)
        await self._deliver(feed, event)

    async def _fill(self, feed: Feed, until: int | None = None) -> None:
        floor = feed.floor()
        if floor is None:
            return
        async for event in replay(self.state, feed.tenant_id, floor):
            if until is not None and event.sequence >= until:
                return
            await self._deliver(feed, event)

    async def _deliver(self, feed: Feed, event: JobSnapshot) -> None:
        if event.sequence is not None:
            feed.last = max(feed.last or 0, event.sequence)
        for group in list(feed.groups.values()):
            if not group.watch.wants(event):
                continue
            handed = []
            for member in group.members:
                if member.queue is not None:
                    member.queue.put_nowait(event)  # still with its resolver, which checks its cursor
                elif member.fresh(event):
                    handed.append(member)
            if not handed:
                continue
            payload = await group.render(event)
            ends, ended = group.watch.ends(event), []
            for n, member in enumerate(handed, 1):  # synchronous writes: a slow socket waits in its own outbox
                if member.group is group and member.handler is not None:
                    member.mark(event)
                    member.post(b"next", payload)
                    if ends:
                        ended.append(member.complete() or member)
                if n % 4096 == 0:
                    await asyncio.sleep(0)  # a turn of the loop between batches of a very large group
            for member in ended:  # after every frame is out: leaving awaits the lease's release
                await member.leave()


_DISPATCHERS: "weakref.WeakKeyDictionary[object, Dispatcher]" = weakref.WeakKeyDictionary()


async def replay(state, tenant_id: uuid.UUID, after: int):
    """The tenant's logged events after a sequence, in order, a page per short read transaction."""
    while True:
        async with UnitOfWork(state.read_sessionmaker or state.sessionmaker) as uow:
            events = await event_log.since(uow.session, tenant_id, after, PAGE)
        for event in events:
            yield event
        if len(events) < PAGE:
            return
        after = events[-1].sequence


@asynccontextmanager
async def following(info, watch: Watch, after: int | None):
    """Join the tenant's fan-out before the caller reads its starting point (so nothing published meanwhile is
    missed); leave on the way out unless the subscription was handed over to its group."""
    ctx = info.context
    dispatcher = _DISPATCHERS.get(ctx.ports.bus)
    if dispatcher is None:
        dispatcher = _DISPATCHERS[ctx.ports.bus] = Dispatcher(ctx.ports.bus)
    await dispatcher.start(ctx.state)
    member = dispatcher.join(info, watch, getattr(ctx, "stream", None), after)
    feed = member.group.feed
    if feed.last is None:
        # A new feed starts at the log's head, read after joining: events reach this process in publishing order,
        # not commit order (a worker's RUNNING can overtake the API's QUEUED), and only a known floor lets the
        # dispatcher see the gap and fill it from the log in sequence order.
        async with UnitOfWork(ctx.state.read_sessionmaker or ctx.state.sessionmaker) as uow:
            head = await event_log.head(uow.session, ctx.require_viewer().tenant_id)
        if feed.last is None:
            feed.last = head
    try:
        yield member
    finally:
        if member.handler is None:
            member.group.remove(member)

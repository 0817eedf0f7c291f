"""Job subscriptions: a starting point (the job now, or the log after a cursor), then every later event in order.

Each subscription joins its tenant's fan-out before reading its starting point, so nothing published meanwhile is
missed, and each event's sequence (or, for one job, its version) drops whatever it already has. Caught up, it is
handed to its group (resolvers/jobs/fanout.py): nested fields are then read once per group, in a fresh transaction."""
from __future__ import annotations

import functools
import uuid
from contextlib import aclosing

from domain.assets import service as assets
from domain.errors import DomainError
from domain.events import log as event_log
from domain.jobs import service
from domain.jobs.snapshot import JobSnapshot
from resolvers.jobs import fanout
from resolvers.errors import as_graphql_error
from resolvers.sockets import admitted


def _hand_over(info, slot):
    join = getattr(info.context, "stream", None)
    return None if join is None else functools.partial(join.hand_over, slot)


async def _each_fresh(ctx, events):
    """Yield each event; when it has been executed (the next is asked for), its transaction ends at once: a
    subscription holds no connection while it waits."""
    async with aclosing(events):
        async for event in events:
            yield event
            await ctx.renew()


async def _check_cursor(ctx, tenant_id: uuid.UUID, after: int) -> None:
    """Refuse a replay that would skip events lost to retention, before anything is sent."""
    try:
        async with ctx.read_uow() as uow:
            await event_log.check_cursor(uow.session, tenant_id, after)
    except DomainError as error:
        raise as_graphql_error(error) from error


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def job_updated(info, id: str, after: int | None = None):
    return _each_fresh(info.context, _job_updated(info, id, after))


def job_events(info, asset_id: str | None, kinds: list | None, after: int | None = None):
    return _each_fresh(info.context, _job_events(info, asset_id, kinds, after))


async def _job_updated(info, id: str, after: int | None):
    ctx = info.context
    viewer = ctx.require_viewer()
    watch = fanout.Watch(job_id=_uuid(id), until_terminal=True)
    async with admitted(info) as slot, fanout.following(info, watch, after) as member:
        try:
            async with ctx.read_uow() as uow:
                current = JobSnapshot.of(await service.get(uow, viewer, id))
        except DomainError as error:
            raise as_graphql_error(error) from error
        if after is None:
            member.mark(current)
            yield current
            if watch.ends(current):
                return
        else:
            await _check_cursor(ctx, viewer.tenant_id, after)
            async for event in fanout.replay(ctx.state, viewer.tenant_id, after):
                if watch.wants(event) and member.fresh(event):
                    member.mark(event)
                    yield event
                    if watch.ends(event):
                        return
        async for event in member.live(_hand_over(info, slot)):
            if watch.wants(event):
                yield event
                if watch.ends(event):
                    return


async def _job_events(info, asset_id: str | None, kinds: list | None, after: int | None):
    ctx = info.context
    viewer = ctx.require_viewer()
    async with admitted(info) as slot:
        asset = None
        if asset_id:
            try:
                async with ctx.read_uow() as uow:
                    asset = (await assets.get(uow, viewer, asset_id, field=["assetId"])).id
            except DomainError as error:
                raise as_graphql_error(error) from error
        watch = fanout.Watch(asset_id=asset, kinds=frozenset(getattr(k, "value", k) for k in kinds or []))
        async with fanout.following(info, watch, after) as member:
            if after is not None:
                await _check_cursor(ctx, viewer.tenant_id, after)
                async for event in fanout.replay(ctx.state, viewer.tenant_id, after):
                    if watch.wants(event) and member.fresh(event):
                        member.mark(event)
                        yield event
            async for event in member.live(_hand_over(info, slot)):
                yield event

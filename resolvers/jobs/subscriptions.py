"""Job subscriptions: every transition and progress step, in order, from a snapshot taken after subscribing."""
from __future__ import annotations

from domain.assets import service as assets
from domain.jobs import service
from domain.jobs.models import TERMINAL
from domain.errors import DomainError
from domain.jobs.snapshot import JobSnapshot
from resolvers.errors import as_graphql_error
from resolvers.sockets import admitted


async def job_updated(info, id: str):
    ctx = info.context
    viewer = ctx.require_viewer()
    # Subscribe first, then read: an event published in between is still delivered, and the
    # version number drops whatever the snapshot already covers.
    async with admitted(info), ctx.ports.bus.subscribe(viewer.tenant_id) as stream:
        try:
            async with ctx.new_uow() as uow:
                current = JobSnapshot.of(await service.get(uow, viewer, id))
        except DomainError as error:
            raise as_graphql_error(error) from error
        yield current
        last = current.version
        if current.status in TERMINAL:
            return
        async for event in stream:
            if event.id != current.id or event.version <= last:
                continue
            last = event.version
            yield event
            if event.status in TERMINAL:
                return


async def job_events(info, asset_id: str | None, kinds: list[str] | None):
    ctx = info.context
    viewer = ctx.require_viewer()
    wanted = {getattr(k, "value", k) for k in kinds or []}
    async with admitted(info), ctx.ports.bus.subscribe(viewer.tenant_id) as stream:
        asset = None
        if asset_id:
            try:
                async with ctx.new_uow() as uow:
                    asset = (await assets.get(uow, viewer, asset_id, field=["assetId"])).id
            except DomainError as error:
                raise as_graphql_error(error) from error
        seen: dict = {}
        async for event in stream:
            if asset is not None and event.asset_id != asset:
                continue
            if wanted and event.kind not in wanted:
                continue
            if event.version <= seen.get(event.id, -1):
                continue
            seen[event.id] = event.version
            if event.status in TERMINAL:
                seen.pop(event.id, None)
            yield event

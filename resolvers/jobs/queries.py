"""Job queries."""
from __future__ import annotations

from domain.assets import service as assets
from domain.jobs import service
from resolvers.payloads import connection


def _values(items):
    return [getattr(item, "value", item) for item in items or []]


async def job(info, id: str, kind=None):
    ctx = info.context
    return await service.get(ctx.uow, ctx.require_viewer(), id, getattr(kind, "value", kind))


async def jobs(info, first, after, kinds=None, statuses=None, asset_id=None, label=None, offset=0):
    ctx = info.context
    viewer = ctx.require_viewer()
    asset = None
    if asset_id:
        asset = (await assets.get(ctx.uow, viewer, asset_id, field=["assetId"])).id
    page = await service.list_page(ctx.uow, viewer, first=first, after=after, kinds=_values(kinds),
                                   statuses=_values(statuses), asset_id=asset, label=label, offset=offset)
    return connection(page)

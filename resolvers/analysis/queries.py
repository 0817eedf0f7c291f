"""Media-analysis queries: results of an asset, MetaVision categories, prices and usage."""
from __future__ import annotations

from domain.analysis import billing, metavision, service


async def items(info, asset_id, kind):
    ctx = info.context
    return await service.items(ctx.uow, ctx.require_viewer(), str(asset_id), kind.value)


async def item(info, asset_id, kind, item_id):
    ctx = info.context
    return await service.item(ctx.uow, ctx.require_viewer(), str(asset_id), kind.value, str(item_id))


def categories(info):
    info.context.require_viewer()
    vision = any(a.vision for a in metavision.agents(info.context.ports.registry))
    return {"categories": [{"id": c.id, "name": c.name, "description": c.description, "media_types": list(c.media),
                            "needs_vision_model": c.needs_vision, "available": vision or not c.needs_vision}
                           for c in metavision.CATEGORIES],
            "models": [{"id": a.id, "name": a.name, "vision": a.vision}
                       for a in metavision.agents(info.context.ports.registry)]}


def prices(info):
    info.context.require_viewer()
    return billing.prices()


async def balance(info, since, until):
    ctx = info.context
    return await billing.balance(ctx.uow, ctx.require_viewer(), since, until)


async def requests(info, page, limit, status, media_type, since, until):
    ctx = info.context
    return await billing.requests(ctx.uow, ctx.require_viewer(), page, limit, status, media_type, since, until)

"""Asset queries."""
from __future__ import annotations

import uuid

from domain.assets import service
from domain.assets.repository import AssetFilter
from domain.catalog import service as catalog
from domain.errors import ValidationFailed
from resolvers.payloads import connection


async def asset(info, id: str):
    ctx = info.context
    return await service.get(ctx.uow, ctx.require_viewer(), id)


async def asset_by_external_id(info, external_id: str):
    ctx = info.context
    return await service.get_by_external_id(ctx.uow, ctx.require_viewer(), external_id)


def _uuid(value, name):
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise ValidationFailed(f"{name} is not a valid id", field=["filter", name]) from exc


def to_filter(flt) -> AssetFilter:
    if flt is None:
        return AssetFilter()
    status = getattr(flt, "status", None)
    return AssetFilter(
        collection_id=_uuid(getattr(flt, "collection_id", None), "collectionId"),
        language_id=_uuid(getattr(flt, "language_id", None), "languageId"),
        status=getattr(status, "value", status),
        search=getattr(flt, "search", None),
        sentiment=getattr(flt, "sentiment", None),
        classification=getattr(flt, "classification", None),
        entities=tuple(e.strip() for e in (getattr(flt, "entities", None) or []) if e and e.strip()),
        speakers=tuple(s.strip() for s in (getattr(flt, "speakers", None) or []) if s and s.strip()),
    )


async def assets(info, first: int | None, after: str | None, flt=None, offset: int = 0, view=None):
    ctx = info.context
    viewer = ctx.require_viewer()
    asset_filter = to_filter(flt)
    if view:
        asset_filter = await catalog.view_filter(ctx.uow, viewer, str(view), asset_filter)
    page = await service.list_page(ctx.uow, viewer, first=first, after=after,
                                   flt=asset_filter, offset=offset)
    return connection(page)


async def audio_track(info, asset_id: str, id: str):
    ctx = info.context
    return await service.get_track(ctx.uow, ctx.require_viewer(), asset_id, id)

"""Collections and views: validated CRUD within the tenant, moving assets in and out of a collection (all or
nothing), and a view as the asset list's filter."""
from __future__ import annotations

import uuid

from domain.catalog import conditions, repository
from domain.catalog.models import Collection, View
from domain.db import UnitOfWork
from domain.errors import NotFound, ValidationFailed
from domain.jobs.service import parse_id
from domain.pagination import Page, clamp_first, decode_cursor
from domain.templates.models import Template
from domain.tenancy.service import Viewer

LABELS = {Collection: "collection", View: "view"}
MAX_ASSET_IDS = 500


async def get(uow: UnitOfWork, viewer: Viewer, model, ident, field: list[str] | None = None):
    found = await repository.get(uow.session, model, viewer.tenant_id, parse_id(ident, LABELS[model], field))
    if found is None:
        raise NotFound(LABELS[model], ident, field=field)
    return found


async def page(uow: UnitOfWork, viewer: Viewer, model, first: int | None, after: str | None, offset: int) -> Page:
    return Page(*await repository.page(uow.session, model, viewer.tenant_id, limit=clamp_first(first, 16),
                                       offset=max(0, offset), after=decode_cursor(after)))


def _name(value, required: bool) -> str | None:
    if value is None:
        if required:
            raise ValidationFailed("name is required", field=["input", "name"])
        return None
    value = str(value).strip()
    if not value or len(value) > 200:
        raise ValidationFailed("name must be 1 to 200 characters", field=["input", "name"])
    return value


async def _template_id(uow: UnitOfWork, viewer: Viewer, value) -> uuid.UUID | None:
    if not value:
        return None
    ident = parse_id(value, "template", ["input", "templateId"])
    if await repository.get(uow.session, Template, viewer.tenant_id, ident) is None:
        raise NotFound("template", value, field=["input", "templateId"])
    return ident


async def save_collection(uow: UnitOfWork, viewer: Viewer, ident: str | None, data: dict) -> Collection:
    """No id creates; with an id only the given fields change (templateId "" clears the default template)."""
    collection = await get(uow, viewer, Collection, ident) if ident else None
    name = _name(data.get("name"), required=collection is None)
    if collection is None:
        collection = Collection(tenant_id=viewer.tenant_id, name=name,
                                template_id=await _template_id(uow, viewer, data.get("template_id")))
        repository.add(uow.session, collection)
    else:
        if name is not None:
            collection.name = name
        if data.get("template_id") is not None:  # "" clears it, None leaves it
            collection.template_id = await _template_id(uow, viewer, data["template_id"])
    await uow.session.flush()
    return collection


async def delete(uow: UnitOfWork, viewer: Viewer, model, ident: str) -> uuid.UUID:
    found = await get(uow, viewer, model, ident)
    if model is Collection:
        await repository.release_assets(uow.session, viewer.tenant_id, found.id)
    await repository.delete(uow.session, found)
    await uow.session.flush()
    return found.id


async def _asset_ids(uow: UnitOfWork, viewer: Viewer, values) -> list[uuid.UUID]:
    """Every id must be one of the tenant's assets; another tenant's reads as not found, and nothing is written."""
    if not values:
        raise ValidationFailed("assetIds needs at least one id", field=["input", "assetIds"])
    if len(values) > MAX_ASSET_IDS:
        raise ValidationFailed(f"assetIds takes at most {MAX_ASSET_IDS} ids", field=["input", "assetIds"])
    ids = list(dict.fromkeys(parse_id(v, "asset", ["input", "assetIds"]) for v in values))
    found = await repository.asset_ids(uow.session, viewer.tenant_id, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound("asset", missing[0], field=["input", "assetIds"])
    return ids


async def add_assets(uow: UnitOfWork, viewer: Viewer, ident: str, asset_ids) -> Collection:
    """Assets move into the collection (an asset is in one collection at most)."""
    collection = await get(uow, viewer, Collection, ident)
    ids = await _asset_ids(uow, viewer, asset_ids)
    await repository.set_collection(uow.session, viewer.tenant_id, ids, collection.id)
    return collection


async def remove_assets(uow: UnitOfWork, viewer: Viewer, ident: str, asset_ids) -> Collection:
    """Assets of this collection leave it; ids of assets in another collection change nothing."""
    collection = await get(uow, viewer, Collection, ident)
    ids = await _asset_ids(uow, viewer, asset_ids)
    await repository.set_collection(uow.session, viewer.tenant_id, ids, None, only_from=collection.id)
    return collection


async def template_for(uow: UnitOfWork, viewer: Viewer, collection_id: uuid.UUID) -> uuid.UUID | None:
    """The default template of the tenant's collection an asset is created in (NotFound when not the tenant's)."""
    collection = await get(uow, viewer, Collection, collection_id, ["input", "collectionId"])
    return collection.template_id


async def save_view(uow: UnitOfWork, viewer: Viewer, ident: str | None, data: dict) -> View:
    view = await get(uow, viewer, View, ident) if ident else None
    name = _name(data.get("name"), required=view is None)
    params = data.get("filter_params")
    if view is None or params is not None:
        params = conditions.validate(params)
    if view is None:
        view = View(tenant_id=viewer.tenant_id, name=name, filter_params=params)
        repository.add(uow.session, view)
    else:
        if name is not None:
            view.name = name
        if params is not None:
            view.filter_params = params
    await uow.session.flush()
    return view


async def view_filter(uow: UnitOfWork, viewer: Viewer, ident, request_filter):
    """The asset list's filter for `view` (the tenant's), with the request's own filters on top."""
    view = await get(uow, viewer, View, ident, ["view"])
    return conditions.merge(conditions.to_filter(view.filter_params), request_filter)

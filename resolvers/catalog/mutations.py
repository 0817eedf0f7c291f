"""Collection and view mutations."""
from __future__ import annotations

from domain.catalog import service
from domain.catalog.models import Collection, View
from resolvers.payloads import mutate
from resolvers.requests import data_of


async def _save(info, input_object, save):
    ident = str(input_object.id) if input_object.id else None

    async def work(uow, ports, viewer):
        return {"item": await save(uow, viewer, ident, data_of(input_object, exclude=("id",)))}

    return await mutate(info, work)


async def _delete(info, model, ident: str):
    async def work(uow, ports, viewer):
        return {"deleted_id": await service.delete(uow, viewer, model, ident)}

    return await mutate(info, work)


async def _assets(info, input_object, change):
    async def work(uow, ports, viewer):
        return {"item": await change(uow, viewer, str(input_object.collection_id),
                                     [str(i) for i in input_object.asset_ids])}

    return await mutate(info, work)


async def save_collection(info, input_object):
    return await _save(info, input_object, service.save_collection)


async def delete_collection(info, ident: str):
    return await _delete(info, Collection, ident)


async def add_collection_assets(info, input_object):
    return await _assets(info, input_object, service.add_assets)


async def remove_collection_assets(info, input_object):
    return await _assets(info, input_object, service.remove_assets)


async def save_view(info, input_object):
    return await _save(info, input_object, service.save_view)


async def delete_view(info, ident: str):
    return await _delete(info, View, ident)

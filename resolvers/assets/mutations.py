"""Asset mutations: create, upload start and finish, delete."""
from __future__ import annotations

from domain.assets import service
from resolvers.payloads import mutate


async def create_asset(info, data) -> object:
    async def work(uow, ports, viewer):
        mode = getattr(data.mode, "value", data.mode) or "normal"
        new = service.NewAsset(filename=data.filename, external_id=data.external_id, language_id=data.language_id,
                               collection_id=data.collection_id, template_id=data.template_id, mode=mode)
        return {"asset": await service.create(uow, viewer, new)}

    return await mutate(info, work)


async def start_upload(info, asset_id: str, parts: int | None, size: int | None = None) -> object:
    async def work(uow, ports, viewer):
        started = await service.start_upload(uow, ports, viewer, asset_id, parts, size)
        return {"asset": started.asset, "upload_id": started.upload_id, "expires_at": started.expires_at,
                "parts": [{"part_number": i + 1, "url": url} for i, url in enumerate(started.urls)]}

    return await mutate(info, work)


async def finish_upload(info, asset_id: str, etags) -> object:
    async def work(uow, ports, viewer):
        asset, job = await service.finish_upload(uow, ports, viewer, asset_id, etags)
        return {"asset": asset, "job": job}

    return await mutate(info, work)


async def delete_asset(info, asset_id: str) -> object:
    async def work(uow, ports, viewer):
        return {"deleted_id": await service.delete(uow, ports, viewer, asset_id)}

    return await mutate(info, work)

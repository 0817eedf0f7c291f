"""Resolvers of media analysis."""
from __future__ import annotations

from strawberry import Info

from domain.analysis import service
from resolvers.payloads import mutate


async def analyze_video(info, data):
    async def work(uow, ports, viewer):
        webhook = {"url": data.webhook.url, "headers": data.webhook.headers or {}} if data.webhook else None
        return {"job": await service.request(uow, ports, viewer, service.AnalyzeRequest(
            [f.value for f in data.features], str(data.asset_id) if data.asset_id else None, data.url,
            data.audio_track, data.language, data.confidence_threshold, data.profile.value, data.priority.value,
            data.provider, webhook, data.client_meta))}

    return await mutate(info, work)


async def item_file(root, info: Info):
    return await info.context.loaders.file.load(root.file_id) if root.file_id else None


async def items(info, asset_id, kind):
    ctx = info.context
    return await service.items(ctx.uow, ctx.require_viewer(), str(asset_id), kind.value)


async def item(info, asset_id, kind, item_id):
    ctx = info.context
    return await service.item(ctx.uow, ctx.require_viewer(), str(asset_id), kind.value, str(item_id))


async def delete_item(info, asset_id, kind, item_id):
    async def work(uow, ports, viewer):
        return {"deleted_id": await service.delete_item(uow, viewer, str(asset_id), kind.value, str(item_id))}

    return await mutate(info, work)

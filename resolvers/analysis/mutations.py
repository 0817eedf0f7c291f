"""Media-analysis mutations: analyse a video or media, delete one result."""
from __future__ import annotations

from domain.analysis import metavision, service
from resolvers.payloads import mutate
from resolvers.requests import request_from, webhook_of


async def analyze_video(info, data):
    async def work(uow, ports, viewer):
        request = request_from(data, service.AnalyzeRequest, webhook=webhook_of(data))
        return {"job": await service.request(uow, ports, viewer, request)}

    return await mutate(info, work)


async def delete_item(info, asset_id, kind, item_id):
    async def work(uow, ports, viewer):
        return {"deleted_id": await service.delete_item(uow, viewer, str(asset_id), kind.value, str(item_id))}

    return await mutate(info, work)


async def analyze_media(info, data):
    async def work(uow, ports, viewer):
        return {"job": await metavision.request(uow, ports, viewer, request_from(data, metavision.AnalyzeMedia))}

    return await mutate(info, work)

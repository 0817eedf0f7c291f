"""Media-analysis mutations: analyse a video or media, delete one result."""
from __future__ import annotations

from domain.analysis import metavision, service
from resolvers.payloads import mutate


async def analyze_video(info, data):
    async def work(uow, ports, viewer):
        webhook = {"url": data.webhook.url, "headers": data.webhook.headers or {}} if data.webhook else None
        return {"job": await service.request(uow, ports, viewer, service.AnalyzeRequest(
            [f.value for f in data.features], str(data.asset_id) if data.asset_id else None, data.url,
            data.audio_track, data.language, data.confidence_threshold, data.profile.value, data.priority.value,
            data.provider, webhook, data.client_meta))}

    return await mutate(info, work)


async def delete_item(info, asset_id, kind, item_id):
    async def work(uow, ports, viewer):
        return {"deleted_id": await service.delete_item(uow, viewer, str(asset_id), kind.value, str(item_id))}

    return await mutate(info, work)


async def analyze_media(info, data):
    async def work(uow, ports, viewer):
        return {"job": await metavision.request(uow, ports, viewer, metavision.AnalyzeMedia(
            data.media, data.media_base64, data.media_type, data.categories, data.custom_category,
            data.system_prompt, data.model, data.detail, data.transcribe, data.transcribe_diarize,
            data.transcribe_align, data.auth))}

    return await mutate(info, work)

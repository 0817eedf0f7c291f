"""Resolvers of media analysis."""
from __future__ import annotations

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

"""Transcript mutations: transcribe."""
from __future__ import annotations

from domain.transcripts import service
from resolvers.payloads import mutate


async def transcribe(info, data):
    async def work(uow, ports, viewer):
        webhook = {"url": data.webhook.url, "headers": data.webhook.headers or {}} if data.webhook else None
        request = service.TranscribeRequest(
            asset_id=data.asset_id, language=data.language, diarization=data.diarization,
            word_timestamps=data.word_timestamps, min_speakers=data.min_speakers, max_speakers=data.max_speakers,
            audio_track=data.audio_track, priority=getattr(data.priority, "value", data.priority),
            provider=data.provider, client_meta=data.client_meta, webhook=webhook)
        return {"job": await service.request(uow, ports, viewer, request)}

    return await mutate(info, work)

"""Transcript mutations: transcribe."""
from __future__ import annotations

from domain.search import service as search
from domain.transcripts import editing, service
from resolvers.payloads import mutate


async def transcribe(info, data):
    async def work(uow, ports, viewer):
        webhook = {"url": data.webhook.url, "headers": data.webhook.headers or {}} if data.webhook else None
        request = service.TranscribeRequest(
            asset_id=data.asset_id, url=data.url, media_type=getattr(data.media_type, "value", None),
            output_format=data.format.value, timestamps=data.timestamps, language=data.language, diarization=data.diarization,
            word_timestamps=data.word_timestamps, min_speakers=data.min_speakers, max_speakers=data.max_speakers,
            audio_track=data.audio_track, priority=getattr(data.priority, "value", data.priority),
            provider=data.provider, client_meta=data.client_meta, webhook=webhook)
        return {"job": await service.request(uow, ports, viewer, request)}

    return await mutate(info, work)


def _value(item, name):
    value = getattr(item, name, None)
    return None if value is None else str(value) if name.endswith("id") else value


async def add_segments(info, data):
    async def work(uow, ports, viewer):
        drafts = [editing.SegmentDraft(s.start_ms, s.end_ms, s.text, s.speaker, _value(s, "original_segment_id"))
                  for s in data.segments]
        transcription = await editing.add_segments(uow, viewer, data.transcription_id, drafts, data.asset_id)
        await search.request_index(uow, ports, viewer.tenant_id, transcription.asset_id)
        return {"transcription": transcription}

    return await mutate(info, work)


async def update_segments(info, transcription_id, asset_id, patches):
    async def work(uow, ports, viewer):
        changed = await editing.update_segments(uow, viewer, transcription_id, [
            editing.SegmentPatch(str(p.id), p.start_ms, p.end_ms, p.text, _value(p, "speaker_id")) for p in patches],
            asset_id)
        transcription = await service.get(uow, viewer, transcription_id)
        await search.request_index(uow, ports, viewer.tenant_id, transcription.asset_id)
        return {"segments": changed, "transcription": transcription}

    return await mutate(info, work)


async def update_segment(info, transcription_id, asset_id, patch):
    async def work(uow, ports, viewer):
        [segment] = await editing.update_segments(uow, viewer, transcription_id, [
            editing.SegmentPatch(str(patch.id), patch.start_ms, patch.end_ms, patch.text, _value(patch, "speaker_id"))],
            asset_id)
        edited = await service.get(uow, viewer, transcription_id)
        await search.request_index(uow, ports, viewer.tenant_id, edited.asset_id)
        return {"segment": segment}

    return await mutate(info, work)


async def create_speaker(info, asset_id, name):
    async def work(uow, ports, viewer):
        return {"speaker": await editing.create_speaker(uow, viewer, asset_id, name)}

    return await mutate(info, work)


async def rename_speaker(info, asset_id, speaker_id, name):
    async def work(uow, ports, viewer):
        return {"speaker": await editing.rename_speaker(uow, viewer, asset_id, speaker_id, name)}

    return await mutate(info, work)


async def delete_speaker(info, asset_id, speaker_id):
    async def work(uow, ports, viewer):
        return {"deleted_id": await editing.delete_speaker(uow, viewer, asset_id, speaker_id)}

    return await mutate(info, work)

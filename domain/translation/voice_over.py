"""Voice-over use cases: queue a dub (languages from the request or the template), record its tracks whole."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain.assets import repository as assets_repo
from domain.assets import service as assets
from domain.assets.models import READY, AudioTrack, StoredFile
from domain.db import UnitOfWork
from domain.errors import AudioUnreadable, Conflict, NoProvider, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.ports import Ports
from domain.templates import repository as templates_repo
from domain.templates.models import Template
from domain.tenancy.service import Viewer
from domain.translation import catalog
from domain.translation import service as translation

VOICE_OVER = "voice_over"


@dataclass
class VoiceOverRequest:
    asset_id: str
    language_ids: list[str] | None = None
    clone_voice: bool | None = None
    mute_original_voice: bool | None = None
    priority: str = "standard"
    webhook: dict | None = None
    client_meta: dict | None = None


async def request(uow: UnitOfWork, ports: Ports, viewer: Viewer, req: VoiceOverRequest) -> Job:
    asset = await assets.get(uow, viewer, req.asset_id, field=["input", "assetId"])
    if asset.status != READY:
        raise Conflict(f"asset {asset.id} is {asset.status}; it can be dubbed once ready", field=["input", "assetId"])
    if not any(s.get("codec_type") == "audio" for s in (asset.media or {}).get("streams") or []):
        raise AudioUnreadable("the asset has no audio to dub over", field=["input", "assetId"])
    template = (await templates_repo.get(uow.session, Template, asset.tenant_id, asset.template_id)
                if asset.template_id else None)
    config = (template.voice_over_config or {}) if template else {}
    ids = req.language_ids or (list(template.voice_over_language_ids or []) if template else [])
    if not ids:
        raise ValidationFailed("no language_ids given and the asset's template names no voice-over languages",
                               field=["input", "languageIds"])
    targets = catalog.resolve_targets(ports.registry, ids, "voice_over", ["input", "languageIds"])
    clone = config.get("clone_voice", False) if req.clone_voice is None else req.clone_voice
    if clone and not any("clone_voice" in p.resources["speech"].features for p in ports.registry.all("speech")):
        raise NoProvider("no configured speech provider clones voices (espeak-ng, the local synthesizer, does not)",
                         field=["input", "cloneVoice"])
    mute = config.get("mute_original_voice", False) if req.mute_original_voice is None else req.mute_original_voice
    source = await translation.source_transcription(uow, asset)
    have = {t.language for t in await translation.translations_of(uow, asset, source)}
    missing = [t.code for t in targets if t.code not in have and t.code != source.language]
    translator = (translation.pick_provider(ports.registry, missing, None, None, ["input", "languageIds"])
                  if missing else None)
    return await jobs.create(uow, ports, viewer, kind=VOICE_OVER, asset_id=asset.id, provider="local",
                             input={"asset_id": str(asset.id), "transcription_id": str(source.id),
                                    "languages": [t.code for t in targets], "translate": missing,
                                    "translation_provider": translator},
                             options={"mute_original_voice": bool(mute), "clone_voice": bool(clone),
                                      "source_language": source.language},
                             priority=req.priority, webhook=req.webhook, client_meta=req.client_meta)


async def lines(uow: UnitOfWork, job: Job, language: str):
    """The segments to speak in `language`: its translation, or the source itself when it is that language."""
    source = await translation.source_segments(uow, job.tenant_id, job.input["transcription_id"])
    if language == (job.options or {}).get("source_language"):
        return source
    asset = await assets_repo.get_unscoped(uow.session, job.asset_id)
    for found in await translation.translations_of(uow, asset, await translation.source_transcription(uow, asset)):
        if found.language == language:
            return await translation.source_segments(uow, job.tenant_id, str(found.id))
    return None


@dataclass
class DubbedTrack:
    language: str
    key: str
    size: int
    duration_ms: int


async def record(uow: UnitOfWork, job: Job, tracks: list[DubbedTrack], video_key: str, video_size: int) -> dict:
    """The new audio tracks and the mp4 carrying them, replacing an earlier dub of the same language."""
    session = uow.session
    asset = await assets_repo.get_unscoped(session, job.asset_id)
    existing = await assets_repo.tracks_by_asset_ids(session, asset.tenant_id, [asset.id])
    keep = [t for t in existing if not (t.source == VOICE_OVER and t.language in {d.language for d in tracks})]
    next_index = max([t.index for t in keep], default=-1) + 1
    created = []
    for n, dub in enumerate(tracks):
        stored = StoredFile(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id, role="voice_over_track",
                            key=dub.key, content_type="audio/mp4", size=dub.size, filename=dub.key.rsplit("/", 1)[-1])
        assets_repo.add(session, stored)
        created.append(AudioTrack(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id, index=next_index + n,
                                  codec="aac", language=dub.language, channels=1, sample_rate=48000,
                                  duration_ms=dub.duration_ms, source=VOICE_OVER, file_id=stored.id))
    video = StoredFile(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id, role="voice_over_video",
                       key=video_key, content_type="video/mp4", size=video_size, filename=video_key.rsplit("/", 1)[-1])
    assets_repo.add(session, video)
    await session.flush()
    await assets_repo.replace_dubbed_tracks(session, asset, [d.language for d in tracks], created)
    return {"audio_tracks": [{"id": str(t.id), "language": t.language, "index": t.index} for t in created],
            "video_file_id": str(video.id)}

"""Transcript use cases: request a transcription, record one, edit segments and speakers."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from domain import languages, urls
from domain.assets import service as assets
from domain.assets.models import PROCESSING, READY
from domain.db import UnitOfWork
from domain.errors import AudioUnreadable, Conflict, NotFound, UnsupportedLanguage, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.jobs.service import parse_id
from domain.templates import service as templates
from domain.ports import Ports
from domain.tenancy.service import Viewer
from domain.transcripts import repository
from domain.transcripts.models import ASR, Segment, Speaker, Transcription

BEAMS = {"normal": None, "turbo": 1}  # normal: the configured beam (WHISPER_BEAM_SIZE, 5); turbo: greedy


@dataclass
class TranscribeRequest:
    asset_id: str | None = None
    url: str | None = None
    media_type: str | None = None
    language: str | None = None
    diarization: bool = False
    word_timestamps: bool = False
    min_speakers: int | None = None
    max_speakers: int | None = None
    audio_track: int = 0
    priority: str = "standard"
    provider: str | None = None
    client_meta: dict | None = None
    webhook: dict | None = None
    mode: str | None = None
    output_format: str = "json"
    timestamps: bool = True
    pipeline: bool = False  # the asset pipeline's own transcription: analysis follows it


def transcribable_language(ports: Ports, requested: str | None, field: list[str]) -> str:
    """Refuse up front what the installed model cannot do: an English-only model fed other speech invents English."""
    provider = ports.registry.get("local")
    resource = provider.resources.get("transcriptions") if provider else None
    supported = resource.languages if resource else None
    detect = bool(resource and "language_detection" in resource.features)
    if requested == "auto":
        if detect:
            return "auto"
        raise UnsupportedLanguage("the installed model cannot detect languages; name the language", field=field)
    if requested in (None, ""):
        # The deployment default is English (as the documents say), on the fast English model; `auto` detects.
        return "en-US" if supported is None or "en" in supported else languages.normalize(supported[0])
    code = languages.normalize(requested)
    if supported is not None and languages.spelling(code, supported) is None:
        spoken = ", ".join(supported) if len(supported) <= 10 else f"{len(supported)} languages, see providers"
        raise UnsupportedLanguage(f"language {requested!r} is not supported by the installed models "
                                  f"(they transcribe: {spoken})", field=field)
    return code


async def request_from_url(uow: UnitOfWork, ports: Ports, viewer: Viewer, req: TranscribeRequest) -> Job:
    """The server downloads the URL itself (guarded) and keeps it as an Asset, then transcribes it."""
    if req.media_type not in (None, "audio", "video"):
        raise ValidationFailed("type must be audio or video", field=["input", "type"])
    await urls.check(req.url, allow_private=ports.settings.allow_private_urls, field=["input", "url"])
    language = transcribable_language(ports, req.language, ["input", "language"])
    _check_speakers(req)
    name = PurePosixPath(urlsplit(req.url).path).name or "download"
    asset = await assets.create(uow, viewer, assets.NewAsset(filename=name[:200]))
    asset.status = PROCESSING
    await uow.session.flush()
    return await jobs.create(uow, ports, viewer, kind="transcription", asset_id=asset.id,
                             input={"url": req.url, "type": req.media_type or "video", "asset_id": str(asset.id),
                                    "audio_track": req.audio_track},
                             options=_options(req, language, asset.mode), priority=req.priority,
                             client_meta=req.client_meta, webhook=req.webhook, provider=req.provider or "local")


def _check_speakers(req: TranscribeRequest) -> None:
    for name in ("min_speakers", "max_speakers"):
        value = getattr(req, name)
        if value is not None and not 1 <= value <= 20:
            raise ValidationFailed(f"{name} must be between 1 and 20", field=["input", name])
    if req.min_speakers and req.max_speakers and req.min_speakers > req.max_speakers:
        raise ValidationFailed("min_speakers is above max_speakers", field=["input", "minSpeakers"])
    if req.audio_track < 0:
        raise ValidationFailed("audioTrack must not be negative", field=["input", "audioTrack"])
    if req.output_format not in ("json", "srt", "vtt"):
        raise ValidationFailed("format must be json, srt or vtt", field=["input", "format"])


def _options(req: TranscribeRequest, language: str, asset_mode: str) -> dict:
    mode = req.mode or asset_mode
    return {"language": language, "diarization": req.diarization, "word_timestamps": req.word_timestamps,
            "min_speakers": req.min_speakers, "max_speakers": req.max_speakers, "mode": mode,
            "beam_size": BEAMS.get(mode), "format": req.output_format, "timestamps": req.timestamps,
            **({"pipeline": True} if req.pipeline else {})}


async def request(uow: UnitOfWork, ports: Ports, viewer: Viewer, req: TranscribeRequest) -> Job:
    if req.url:
        if req.asset_id:
            raise ValidationFailed("give an assetId or a url, not both", field=["input", "url"])
        return await request_from_url(uow, ports, viewer, req)
    if not req.asset_id:
        raise ValidationFailed("give an assetId or a url", field=["input", "assetId"])
    asset = await assets.get(uow, viewer, req.asset_id, field=["input", "assetId"])
    if asset.status != READY:
        raise Conflict(f"asset {asset.id} is {asset.status}; it can be transcribed once ready", field=["input", "assetId"])
    if not (asset.media or {}).get("streams") or not any(
            s.get("codec_type") == "audio" for s in asset.media["streams"]):
        raise AudioUnreadable("the asset has no audio stream to transcribe", field=["input", "assetId"])
    language = transcribable_language(ports, req.language, ["input", "language"])
    _check_speakers(req)
    options = _options(req, language, asset.mode)
    options["vocabulary"] = await templates.vocabulary(uow, viewer.tenant_id, asset.template_id)
    return await jobs.create(uow, ports, viewer, kind="transcription", asset_id=asset.id,
                             input={"asset_id": str(asset.id), "audio_track": req.audio_track},
                             options=options,
                             priority=req.priority, client_meta=req.client_meta, webhook=req.webhook,
                             provider=req.provider or "local")


@dataclass
class NewSegment:
    start_ms: int
    end_ms: int
    text: str
    speaker: int | None = None
    words: list[dict] | None = None


async def record(uow: UnitOfWork, job: Job, language: str, model: str, segments: list[NewSegment]) -> Transcription:
    """Write a finished transcript in the caller's transaction: it appears whole or not at all."""
    session = uow.session
    existing = {s.label: s for s in await repository.speakers_by_asset_ids(session, job.tenant_id, [job.asset_id])}
    speakers: dict[int, Speaker] = {}
    for index in sorted({s.speaker for s in segments if s.speaker is not None}):
        label = f"SPEAKER_{index:02d}"
        speakers[index] = existing.get(label) or Speaker(id=uuid.uuid4(), tenant_id=job.tenant_id,
                                                         asset_id=job.asset_id, label=label, name=label)
        if label not in existing:
            repository.add(session, speakers[index])
    transcription = Transcription(id=uuid.uuid4(), tenant_id=job.tenant_id, asset_id=job.asset_id, job_id=job.id,
                                  language=language, source=ASR, status="completed", model=model,
                                  options=dict(job.options or {}))
    repository.add(session, transcription)
    await session.flush()  # parents first: these models declare no relationships for the flush to order by
    for piece in segments:
        speaker = speakers.get(piece.speaker) if piece.speaker is not None else None
        words = [{**w, "speaker": speaker.label if speaker else None} for w in (piece.words or [])]
        repository.add(session, Segment(id=uuid.uuid4(), tenant_id=job.tenant_id, transcription_id=transcription.id,
                                        start_ms=piece.start_ms, end_ms=piece.end_ms, text=piece.text,
                                        speaker_id=speaker.id if speaker else None, words=words or None))
    await session.flush()
    return transcription


async def get(uow: UnitOfWork, viewer: Viewer, transcription_id: str, asset_id: str | None = None) -> Transcription:
    found = await repository.get(uow.session, viewer.tenant_id, parse_id(transcription_id, "transcription"))
    if found is None or (asset_id is not None and str(found.asset_id) != str(asset_id)):
        raise NotFound("transcription", transcription_id)
    return found


async def for_asset(uow: UnitOfWork, viewer: Viewer, asset_id: str, language: str | None = None) -> list[Transcription]:
    asset = await assets.get(uow, viewer, asset_id)
    found = await repository.by_asset_ids(uow.session, viewer.tenant_id, [asset.id])
    if language:
        wanted = languages.normalize(language)
        found = [t for t in found if t.language == wanted or t.language.split("-")[0] == wanted]
    return found


async def request_for_task(uow: UnitOfWork, ports: Ports, viewer: Viewer, asset, parent_id, language: str,
                           diarization: bool, url: str | None = None) -> Job:
    """A transcription a larger task needs (a MediaPitch submission): its asset may still be a URL to fetch."""
    req = TranscribeRequest(asset_id=str(asset.id), url=url, language=language, diarization=diarization)
    options = _options(req, language, asset.mode)
    options["vocabulary"] = await templates.vocabulary(uow, viewer.tenant_id, asset.template_id)
    source = {"url": url, "type": "audio"} if url and asset.original_file_id is None else {}
    return await jobs.create(uow, ports, viewer, kind="transcription", asset_id=asset.id, parent_id=parent_id,
                             input={"asset_id": str(asset.id), "audio_track": 0, **source}, options=options,
                             provider="local")

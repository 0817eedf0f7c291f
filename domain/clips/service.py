"""Clip use cases: a batch validated all or nothing and queued one render job per clip; reading and downloading."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain import languages
from domain.assets import service as assets
from domain.assets import repository as assets_repo
from domain.assets.models import READY as ASSET_READY
from domain.assets.models import StoredFile
from domain.brandings import service as brandings
from domain.brandings.models import ASPECT_RATIOS
from domain.clips import repository
from domain.clips.models import MODES, QUEUED, READY, Clip
from domain.db import UnitOfWork
from domain.errors import Conflict, DomainError, ErrorCode, NotFound, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.jobs.service import parse_id
from domain.pagination import Page, clamp_first, decode_cursor
from domain.ports import Ports
from domain.tenancy.service import Viewer
from domain.transcripts import repository as transcripts_repo

MAX_CLIPS = 50


@dataclass
class ClipRequest:
    start_ms: int | None = None
    end_ms: int | None = None
    start_frame: int | None = None
    end_frame: int | None = None
    aspect_ratio_x: int | None = None
    aspect_ratio_y: int | None = None
    autoframing: bool = False
    branding_id: str | None = None
    subtitles_language_id: str | None = None
    with_sound_descriptions: bool = False
    mode: str = "accurate"


def _range(req: ClipRequest, fps: float | None, duration_ms: int, at: list[str]) -> tuple[int, int]:
    by_frames = req.start_frame is not None or req.end_frame is not None
    by_ms = req.start_ms is not None or req.end_ms is not None
    if by_frames and by_ms:
        raise ValidationFailed("give the range in milliseconds or in frames, not both", field=at + ["startMs"])
    if by_frames:
        if req.start_frame is None or req.end_frame is None:
            raise ValidationFailed("startFrame and endFrame go together", field=at + ["startFrame"])
        if not fps:
            raise ValidationFailed("the asset has no frame rate; give the range in milliseconds",
                                   field=at + ["startFrame"])
        if req.start_frame < 0:
            raise ValidationFailed("startFrame must not be negative", field=at + ["startFrame"])
        if req.end_frame <= req.start_frame:
            raise ValidationFailed("endFrame must be after startFrame", field=at + ["endFrame"])
        start, end = round(req.start_frame * 1000 / fps), round(req.end_frame * 1000 / fps)
        names = ("startFrame", "endFrame")
    else:
        if req.start_ms is None or req.end_ms is None:
            raise ValidationFailed("startMs and endMs are required", field=at + ["startMs" if req.start_ms is None
                                                                                else "endMs"])
        if req.start_ms < 0:
            raise ValidationFailed("startMs must not be negative", field=at + ["startMs"])
        if req.end_ms <= req.start_ms:
            raise ValidationFailed("endMs must be after startMs", field=at + ["endMs"])
        start, end = req.start_ms, req.end_ms
        names = ("startMs", "endMs")
    if end > duration_ms:
        raise ValidationFailed(f"the range ends at {end} ms, past the media's {duration_ms} ms", field=at + [names[1]])
    return start, end


def _ratio(req: ClipRequest, at: list[str]) -> str | None:
    if req.aspect_ratio_x is None and req.aspect_ratio_y is None:
        return None
    if req.aspect_ratio_x is None or req.aspect_ratio_y is None:
        raise ValidationFailed("aspectRatioX and aspectRatioY go together", field=at + ["aspectRatioX"])
    ratio = f"{req.aspect_ratio_x}:{req.aspect_ratio_y}"
    if ratio not in ASPECT_RATIOS:
        raise ValidationFailed(f"the aspect ratio must be one of {', '.join(ASPECT_RATIOS)}", field=at + ["aspectRatioX"])
    return ratio


def source_ratio(width: int | None, height: int | None) -> str | None:
    """The documented ratio a source already has (a 1920x1080 source is 16:9), if any."""
    for ratio in ASPECT_RATIOS:
        x, y = (int(v) for v in ratio.split(":"))
        if width and height and abs(width * y - height * x) <= max(width, height) * y * 0.01:
            return ratio
    return None


async def _transcription_language(uow: UnitOfWork, viewer: Viewer, asset, language_id: str, at: list[str]) -> str:
    language = languages.by_id(language_id)
    if language is None:
        raise ValidationFailed(f"unknown language id {language_id}", field=at + ["subtitlesLanguageId"])
    found = await transcripts_repo.by_asset_ids(uow.session, viewer.tenant_id, [asset.id])
    codes = [t.language for t in found if t.status == "completed"]
    for code in codes:
        if code.lower() == language.code.lower():
            return code
    for code in codes:
        if code.split("-")[0].lower() == language.code.split("-")[0].lower():
            return code
    raise ValidationFailed(f"the asset has no {language.name} transcription to burn in; transcribe or translate it "
                           "first", field=at + ["subtitlesLanguageId"])


async def create(uow: UnitOfWork, ports: Ports, viewer: Viewer, asset_id: str,
                 requests: list[ClipRequest]) -> list[tuple[Clip, Job]]:
    """Every clip is checked before any is written: one bad clip queues nothing."""
    asset = await assets.get(uow, viewer, asset_id, field=["input", "assetId"])
    if not requests:
        raise ValidationFailed("give at least one clip", field=["input", "clips"])
    if len(requests) > MAX_CLIPS:
        raise ValidationFailed(f"at most {MAX_CLIPS} clips per call", field=["input", "clips"])
    if asset.status != ASSET_READY:
        raise Conflict(f"asset {asset.id} is {asset.status}; clips are cut from ready assets", field=["input", "assetId"])
    media = asset.media or {}
    if not media.get("width") or not asset.duration_ms:
        raise ValidationFailed(f"asset {asset.id} has no video to cut clips from", field=["input", "assetId"])
    natural = source_ratio(media.get("width"), media.get("height"))
    planned = []
    for index, req in enumerate(requests):
        at = ["input", "clips", str(index)]
        start, end = _range(req, media.get("frame_rate"), asset.duration_ms, at)
        ratio = _ratio(req, at)
        if req.mode not in MODES:
            raise ValidationFailed(f"mode must be one of {', '.join(MODES)}", field=at + ["mode"])
        variant = branding = None
        if req.branding_id:
            branding = await brandings.get(uow, viewer, brandings.Kind.BRANDING, req.branding_id, at + ["brandingId"])
            wanted = ratio or natural
            if wanted is None:
                raise DomainError(f"the source's {media.get('width')}x{media.get('height')} frame has no documented "
                                  "ratio; give aspectRatioX/Y to pick a branding variant", field=at + ["brandingId"],
                                  code=ErrorCode.BRANDING_VARIANT_MISSING)
            variant = await brandings.variant_for_clip(uow, viewer, branding, wanted, at + ["brandingId"])
        language = await _transcription_language(uow, viewer, asset, req.subtitles_language_id, at) \
            if req.subtitles_language_id else None
        if req.mode == "fast" and ((ratio and ratio != natural) or branding or language or req.with_sound_descriptions
                                   or req.autoframing):
            raise ValidationFailed("a fast (stream-copy) cut cannot reframe, brand or burn subtitles; use accurate mode",
                                   field=at + ["mode"])
        planned.append(Clip(
            id=uuid.uuid4(), tenant_id=viewer.tenant_id, asset_id=asset.id, status=QUEUED, start_ms=start, end_ms=end,
            start_frame=req.start_frame, end_frame=req.end_frame, aspect_ratio=ratio, autoframing=bool(req.autoframing),
            branding_id=branding.id if branding else None, subtitles_language=language,
            with_sound_descriptions=bool(req.with_sound_descriptions), mode=req.mode,
            options={"variant_id": str(variant.id) if variant else None}))
    out = []
    for clip in planned:
        repository.add(uow.session, clip)
        await uow.session.flush()
        job = await jobs.create(uow, ports, viewer, kind="clip_render", asset_id=asset.id,
                                input={"clip_id": str(clip.id)})
        clip.job_id = job.id
        out.append((clip, job))
    await uow.session.flush()
    return out


async def get(uow: UnitOfWork, viewer: Viewer, clip_id: str, asset_id: str | None = None,
              field: list[str] | None = None) -> Clip:
    clip = await repository.get(uow.session, viewer.tenant_id, parse_id(clip_id, "video clip", field))
    if clip is None or (asset_id is not None and str(clip.asset_id) != str(asset_id)):
        raise NotFound("video clip", clip_id, field=field)
    return clip


async def page(uow: UnitOfWork, viewer: Viewer, asset_id: str, first: int | None, after: str | None,
               offset: int) -> Page:
    asset = await assets.get(uow, viewer, asset_id)
    return Page(*await repository.page(uow.session, viewer.tenant_id, asset.id, limit=clamp_first(first, 16),
                                       offset=max(0, offset), after=decode_cursor(after)))


async def ready_clips(uow: UnitOfWork, viewer: Viewer, asset_id: str, clip_ids: list[str]) -> list[Clip]:
    """The clips to download, in the order asked; each must be rendered."""
    asset = await assets.get(uow, viewer, asset_id, field=["input", "assetId"])
    if not clip_ids:
        raise ValidationFailed("name at least one video clip", field=["input", "clipIds"])
    ids = [parse_id(c, "video clip", ["input", "clipIds", str(i)]) for i, c in enumerate(clip_ids)]
    found = {c.id: c for c in await repository.by_ids(uow.session, viewer.tenant_id, ids)}
    out = []
    for index, ident in enumerate(dict.fromkeys(ids)):
        clip = found.get(ident)
        if clip is None or clip.asset_id != asset.id:
            raise NotFound("video clip", ident, field=["input", "clipIds", str(index)])
        if clip.status != READY or not clip.file_key:
            raise DomainError(f"video clip {clip.id} is {clip.status}; download it once it is ready",
                              field=["input", "clipIds", str(index)], code=ErrorCode.RESULT_NOT_READY)
        out.append(clip)
    return out


async def request_download(uow: UnitOfWork, ports: Ports, viewer: Viewer, asset_id: str, clip_ids: list[str]) -> Job:
    clips = await ready_clips(uow, viewer, asset_id, clip_ids)
    return await jobs.create(uow, ports, viewer, kind="clip_download", asset_id=clips[0].asset_id,
                             input={"clip_ids": [str(c.id) for c in clips]})


async def record_download(uow: UnitOfWork, tenant_id: uuid.UUID, asset_id: uuid.UUID, job_id: uuid.UUID, key: str,
                          size: int) -> StoredFile:
    """A zip of clips, kept with the asset (it goes when the asset goes) and served by signed URL."""
    stored = StoredFile(id=uuid.uuid4(), tenant_id=tenant_id, asset_id=asset_id, role="clip_download", key=key,
                        content_type="application/zip", size=size, filename=f"clips-{job_id}.zip")
    assets_repo.add(uow.session, stored)
    await uow.session.flush()
    return stored


def filename(clip: Clip) -> str:
    return f"clip-{clip.id}.mp4"

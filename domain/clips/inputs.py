"""What one clip render needs, read in one transaction: source, branding variant and media, subtitle style, the cues
cut to the range with times shifted, and the autocenter track; and recording the render's outcome."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from domain.analysis import repository as analysis_repo
from domain.assets import probing
from domain.assets import repository as assets_repo
from domain.brandings import repository as brandings_repo
from domain.brandings.models import Branding, BrandingMedia, BrandingVariant, SubtitleStyle
from domain.brandings.service import STYLE_COLOURS, STYLE_NUMBERS
from domain.clips import repository
from domain.clips.models import FAILED, READY, RENDERING, Clip
from domain.db import UnitOfWork
from domain.errors import NotFound
from domain.subtitles import cues as cue_builder
from domain.transcripts import repository as transcripts_repo


@dataclass
class RenderInputs:
    clip: Clip
    asset: object
    source_key: str
    variant: BrandingVariant | None = None
    media: dict[str, BrandingMedia] = field(default_factory=dict)  # overlay / intro / outro
    style: dict | None = None
    cues: list[cue_builder.Cue] = field(default_factory=list)
    track: list[tuple[int, float, float]] | None = None  # (clip ms, x, y) of the autocenter analysis; None if none ran


def style_dict(style: SubtitleStyle) -> dict:
    names = ["font_family"] + [n for n, *_ in STYLE_NUMBERS] + list(STYLE_COLOURS)
    return {name: getattr(style, name) for name in names}


def _speech_cues(segments, start: int, end: int) -> list[cue_builder.Cue]:
    pieces = []
    for s in segments:
        if s.end_ms <= start or s.start_ms >= end or not (s.text or "").strip():
            continue
        words = tuple((w["word"], max(w["start_ms"], start) - start, min(w["end_ms"], end) - start)
                      for w in (s.words or []) if w["end_ms"] > start and w["start_ms"] < end) or None
        pieces.append(cue_builder.Timed(max(s.start_ms, start) - start, min(s.end_ms, end) - start, s.text.strip(),
                                        None, words))
    return cue_builder.build(pieces)


async def gather(uow: UnitOfWork, clip_id: uuid.UUID) -> RenderInputs:
    session = uow.session
    clip = await repository.get_unscoped(session, clip_id)
    if clip is None:
        raise NotFound("video clip", clip_id)
    asset = await assets_repo.get_unscoped(session, clip.asset_id)
    original = await probing.original_file(uow, asset) if asset else None
    if original is None:
        raise NotFound("asset original", clip.asset_id)
    inputs = RenderInputs(clip, asset, original.key)
    variant_id = (clip.options or {}).get("variant_id")
    if variant_id:
        inputs.variant = await brandings_repo.get_unscoped(session, BrandingVariant, uuid.UUID(variant_id))
    if inputs.variant is not None:
        refs = {"overlay": inputs.variant.overlay_id, "intro": inputs.variant.intro_id,
                "outro": inputs.variant.outro_id}
        found = {m.id: m for m in await brandings_repo.media_by_ids(session, [r for r in refs.values() if r])}
        inputs.media = {role: found[ref] for role, ref in refs.items() if ref in found and found[ref].file_key}
    branding = await brandings_repo.get_unscoped(session, Branding, clip.branding_id) if clip.branding_id else None
    if branding is not None and branding.subtitle_style_id:
        style = await brandings_repo.get_unscoped(session, SubtitleStyle, branding.subtitle_style_id)
        inputs.style = style_dict(style) if style else None
    if clip.subtitles_language:
        transcriptions = [t for t in await transcripts_repo.by_asset_ids(session, clip.tenant_id, [clip.asset_id])
                          if t.language == clip.subtitles_language and t.status == "completed"]
        if transcriptions:
            segments = await transcripts_repo.segments_by_transcription_ids(session, clip.tenant_id,
                                                                            [transcriptions[-1].id])
            inputs.cues = _speech_cues(segments, clip.start_ms, clip.end_ms)
    if clip.with_sound_descriptions:
        sounds = await analysis_repo.for_asset(session, clip.tenant_id, clip.asset_id, "sound_description")
        inputs.cues = cue_builder.merged(inputs.cues, cue_builder.sounds(sounds, clip.start_ms, clip.end_ms))
    if clip.autoframing:
        items = await analysis_repo.for_asset(session, clip.tenant_id, clip.asset_id, "autocenter")
        if items:
            inputs.track = sorted((p["ms"] - clip.start_ms, p["x"], p["y"]) for item in items
                                  for p in (item.data or {}).get("points") or [])
    clip.status = RENDERING
    await session.flush()
    return inputs


async def record_rendered(uow: UnitOfWork, clip_id: uuid.UUID, key: str, size: int, duration_ms: int, width: int,
                          height: int, options: dict) -> Clip | None:
    clip = await repository.get_unscoped(uow.session, clip_id)
    if clip is None:
        return None
    clip.file_key, clip.size, clip.duration_ms, clip.width, clip.height = key, size, duration_ms, width, height
    clip.options = {**(clip.options or {}), **options}
    clip.status, clip.error_code, clip.error_message = READY, None, None
    await uow.session.flush()
    return clip


async def record_failed(uow: UnitOfWork, clip_id: uuid.UUID, code: str, message: str,
                        keep_earlier: bool = False) -> None:
    """`keep_earlier`: the job's failure hook does not overwrite the reason the handler already recorded."""
    clip = await repository.get_unscoped(uow.session, clip_id)
    if clip is not None and clip.status != READY and not (keep_earlier and clip.status == FAILED):
        clip.status, clip.error_code, clip.error_message = FAILED, code, message
        await uow.session.flush()

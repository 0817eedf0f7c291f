"""Editing transcripts by hand: add and change segments (validated against the media), manage speakers."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain.assets import service as assets
from domain.db import UnitOfWork
from domain.errors import NotFound, ValidationFailed
from domain.jobs.service import parse_id
from domain.tenancy.service import Viewer
from domain.transcripts import repository
from domain.transcripts.models import Segment, Speaker, Transcription
from domain.transcripts.service import get as get_transcription


@dataclass
class SegmentDraft:
    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = None  # a speaker id, label or name (a new name creates the speaker)
    original_segment_id: str | None = None


@dataclass
class SegmentPatch:
    id: str | None = None
    start_ms: int | None = None
    end_ms: int | None = None
    text: str | None = None
    speaker_id: str | None = None


def _check(start: int, end: int, text: str, duration_ms: int | None, where: list[str]) -> None:
    if start < 0:
        raise ValidationFailed("start_ms must not be negative", field=where + ["startMs"])
    if end <= start:
        raise ValidationFailed("end_ms must be after start_ms", field=where + ["endMs"])
    if duration_ms is not None and end > duration_ms:
        raise ValidationFailed(f"end_ms {end} is past the end of the media ({duration_ms} ms)", field=where + ["endMs"])
    if not text.strip():
        raise ValidationFailed("text must not be empty", field=where + ["text"])


async def _speaker_for(uow: UnitOfWork, viewer: Viewer, asset_id: uuid.UUID, ref: str | None, where: list[str],
                       create: bool) -> Speaker | None:
    if not ref:
        return None
    speakers = await repository.speakers_by_asset_ids(uow.session, viewer.tenant_id, [asset_id])
    for speaker in speakers:
        if ref in (str(speaker.id), speaker.label, speaker.name):
            return speaker
    if not create:
        raise NotFound("speaker", ref, field=where)
    return await _new_speaker(uow, viewer, asset_id, ref, speakers)


async def _new_speaker(uow: UnitOfWork, viewer: Viewer, asset_id: uuid.UUID, name: str, existing) -> Speaker:
    taken = {s.label for s in existing}
    label = next(f"SPEAKER_{n:02d}" for n in range(len(taken) + 1) if f"SPEAKER_{n:02d}" not in taken)
    speaker = Speaker(id=uuid.uuid4(), tenant_id=viewer.tenant_id, asset_id=asset_id, label=label, name=name)
    repository.add(uow.session, speaker)
    await uow.session.flush()
    return speaker


async def _original(uow: UnitOfWork, viewer: Viewer, ident: str | None, field: list[str]) -> uuid.UUID | None:
    """A segment a new one derives from must be one of the tenant's own (another tenant's is simply not found)."""
    if not ident:
        return None
    found = await repository.segment_of_tenant(uow.session, viewer.tenant_id, parse_id(ident, "segment", field))
    if found is None:
        raise NotFound("segment", ident, field=field)
    return found.id


async def add_segments(uow: UnitOfWork, viewer: Viewer, transcription_id: str, drafts: list[SegmentDraft],
                       asset_id: str | None = None) -> Transcription:
    transcription = await get_transcription(uow, viewer, transcription_id, asset_id)
    asset = await assets.get(uow, viewer, transcription.asset_id)
    if not drafts:
        raise ValidationFailed("give at least one segment", field=["segments"])
    originals = []
    for index, draft in enumerate(drafts):  # all validated before any is written
        _check(draft.start_ms, draft.end_ms, draft.text, asset.duration_ms, ["segments", str(index)])
        originals.append(await _original(uow, viewer, draft.original_segment_id,
                                         ["segments", str(index), "originalSegmentId"]))
    for index, (draft, original) in enumerate(zip(drafts, originals)):
        speaker = await _speaker_for(uow, viewer, asset.id, draft.speaker, ["segments", str(index), "speaker"], True)
        repository.add(uow.session, Segment(id=uuid.uuid4(), tenant_id=viewer.tenant_id,
                                            transcription_id=transcription.id, start_ms=draft.start_ms,
                                            end_ms=draft.end_ms, text=draft.text.strip(),
                                            speaker_id=speaker.id if speaker else None, original_segment_id=original))
    await uow.session.flush()
    return transcription


async def update_segments(uow: UnitOfWork, viewer: Viewer, transcription_id: str, patches: list[SegmentPatch],
                          asset_id: str | None = None) -> list[Segment]:
    transcription = await get_transcription(uow, viewer, transcription_id, asset_id)
    asset = await assets.get(uow, viewer, transcription.asset_id)
    if not patches:
        raise ValidationFailed("give at least one segment", field=["segments"])
    changed = []
    for index, patch in enumerate(patches):
        where = ["segments", str(index)]
        segment = await repository.segment(uow.session, viewer.tenant_id, transcription.id,
                                           parse_id(patch.id or "", "segment", where + ["id"]))
        if segment is None:
            raise NotFound("segment", patch.id, field=where + ["id"])
        start = segment.start_ms if patch.start_ms is None else patch.start_ms
        end = segment.end_ms if patch.end_ms is None else patch.end_ms
        text = segment.text if patch.text is None else patch.text
        _check(start, end, text, asset.duration_ms, where)
        if patch.speaker_id is not None:
            speaker = await _speaker_for(uow, viewer, asset.id, patch.speaker_id, where + ["speakerId"], False)
            segment.speaker_id = speaker.id
            if segment.words:
                segment.words = [{**w, "speaker": speaker.label} for w in segment.words]
        if (start, end) != (segment.start_ms, segment.end_ms):
            segment.words = None  # word timings no longer match the edited span
        segment.start_ms, segment.end_ms, segment.text = start, end, text.strip()
        changed.append(segment)
    await uow.session.flush()
    return changed


async def create_speaker(uow: UnitOfWork, viewer: Viewer, asset_id: str, name: str) -> Speaker:
    asset = await assets.get(uow, viewer, asset_id, field=["assetId"])
    if not name.strip():
        raise ValidationFailed("name must not be empty", field=["name"])
    existing = await repository.speakers_by_asset_ids(uow.session, viewer.tenant_id, [asset.id])
    return await _new_speaker(uow, viewer, asset.id, name.strip(), existing)


async def _speaker(uow: UnitOfWork, viewer: Viewer, asset_id: str, speaker_id: str) -> Speaker:
    asset = await assets.get(uow, viewer, asset_id, field=["assetId"])
    speaker = await repository.speaker(uow.session, viewer.tenant_id, asset.id, parse_id(speaker_id, "speaker"))
    if speaker is None:
        raise NotFound("speaker", speaker_id, field=["id"])
    return speaker


async def rename_speaker(uow: UnitOfWork, viewer: Viewer, asset_id: str, speaker_id: str, name: str) -> Speaker:
    speaker = await _speaker(uow, viewer, asset_id, speaker_id)
    if not name.strip():
        raise ValidationFailed("name must not be empty", field=["name"])
    speaker.name = name.strip()
    await uow.session.flush()
    return speaker


async def delete_speaker(uow: UnitOfWork, viewer: Viewer, asset_id: str, speaker_id: str) -> uuid.UUID:
    """The speaker goes; its segments stay, unassigned (their words too)."""
    speaker = await _speaker(uow, viewer, asset_id, speaker_id)
    for segment in await repository.segments_by_speaker(uow.session, viewer.tenant_id, speaker.id):
        segment.speaker_id = None
        if segment.words:
            segment.words = [{**w, "speaker": None} for w in segment.words]
    await repository.delete(uow.session, speaker)
    await uow.session.flush()
    return speaker.id

"""Timeline edits: the first segment of a probed source, split, trim, soft delete, and replacing a segment by pieces.

Times on segments are source milliseconds (TimelineSegment's docstring); the API speaks seconds (`*_ts`).
Edits never rewrite a segment except trim (inside its bounds): they deactivate it and add rows, so history stays.
"""
from __future__ import annotations

import math
import uuid

from domain.assets.models import Asset
from domain.db import UnitOfWork
from domain.editor import repository
from domain.editor.models import ORIGINAL, TimelineSegment
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.jobs.service import parse_id


def to_ms(seconds: float | None, name: str) -> int:
    if seconds is None or not math.isfinite(seconds):
        raise ValidationFailed(f"{name} must be a number of seconds", field=[name])
    return round(seconds * 1000)


def piece_of(segment: TimelineSegment, start_ms: int, end_ms: int) -> TimelineSegment:
    """A piece of `segment` with its media, bounds and provenance (a file's time 0 stays at bound_start_ms)."""
    return TimelineSegment(
        id=uuid.uuid4(), tenant_id=segment.tenant_id, project_id=segment.project_id, asset_id=segment.asset_id,
        source=segment.source, start_ms=start_ms, end_ms=end_ms, bound_start_ms=segment.bound_start_ms,
        bound_end_ms=segment.bound_end_ms, active=True, parent_id=segment.id, variant_id=segment.variant_id,
        file_key=segment.file_key, grade=segment.grade, job_id=segment.job_id)


async def replace(uow: UnitOfWork, tenant_id: uuid.UUID, segment: TimelineSegment,
                  pieces: list[TimelineSegment]) -> list[TimelineSegment]:
    """Deactivate `segment` and put `pieces` in its place on the active timeline, renumbering `order_index` 0..n-1."""
    timeline = await repository.active_segments(uow.session, tenant_id, segment.project_id)
    segment.active = False
    ordered: list[TimelineSegment] = []
    for current in timeline:
        ordered.extend(pieces if current.id == segment.id else [current])
    for piece in pieces:
        repository.add(uow.session, piece)
    for index, current in enumerate(ordered):
        current.order_index = index
    await uow.session.flush()
    return pieces


async def open_first_segment(uow: UnitOfWork, asset: Asset) -> None:
    """Once a project's source is probed, its timeline starts as one segment spanning the whole video.

    Called where the probe records its success; projects that already have segments are left alone."""
    if not asset.duration_ms:
        return
    for project in await repository.projects_without_segments(uow.session, asset.tenant_id, asset.id):
        repository.add(uow.session, TimelineSegment(
            id=uuid.uuid4(), tenant_id=asset.tenant_id, project_id=project.id, asset_id=asset.id, source=ORIGINAL,
            start_ms=0, end_ms=asset.duration_ms, bound_start_ms=0, bound_end_ms=asset.duration_ms, order_index=0,
            active=True))
    await uow.session.flush()


async def get_segment(uow: UnitOfWork, tenant_id: uuid.UUID, segment_id: str | uuid.UUID,
                      active: bool = True) -> TimelineSegment:
    segment = await repository.get_segment(uow.session, tenant_id, parse_id(segment_id, "segment", ["segment_id"]))
    if segment is None:
        raise NotFound("segment", segment_id, field=["segment_id"])
    if active and not segment.active:
        raise Conflict(f"segment {segment.id} is no longer on the timeline (it was split, graded, replaced or "
                       "deleted)", field=["segment_id"])
    return segment


async def split(uow: UnitOfWork, tenant_id: uuid.UUID, segment_id: str, split_ts: float
                ) -> tuple[TimelineSegment, TimelineSegment]:
    segment = await get_segment(uow, tenant_id, segment_id)
    at = to_ms(split_ts, "split_ts")
    if not segment.start_ms < at < segment.end_ms:
        raise ValidationFailed(f"split_ts must be strictly inside the segment ({segment.start_ms / 1000:g} s < split_ts "
                               f"< {segment.end_ms / 1000:g} s), not {split_ts:g}", field=["split_ts"])
    left, right = piece_of(segment, segment.start_ms, at), piece_of(segment, at, segment.end_ms)
    await replace(uow, tenant_id, segment, [left, right])
    return left, right


async def trim(uow: UnitOfWork, tenant_id: uuid.UUID, segment_id: str, new_start_ts: float | None,
               new_end_ts: float | None) -> TimelineSegment:
    """Move a segment's ends within the bounds of the segment it was cut from (in place: the one edit that is)."""
    segment = await get_segment(uow, tenant_id, segment_id)
    start = segment.start_ms if new_start_ts is None else to_ms(new_start_ts, "new_start_ts")
    end = segment.end_ms if new_end_ts is None else to_ms(new_end_ts, "new_end_ts")
    low, high = segment.bound_start_ms / 1000, segment.bound_end_ms / 1000
    if not segment.bound_start_ms <= start < segment.bound_end_ms:
        raise ValidationFailed(f"new_start_ts must be within the segment's original bounds {low:g}..{high:g} s "
                               f"(and before its end), not {start / 1000:g}", field=["new_start_ts"])
    if not segment.bound_start_ms < end <= segment.bound_end_ms:
        raise ValidationFailed(f"new_end_ts must be within the segment's original bounds {low:g}..{high:g} s, "
                               f"not {end / 1000:g}", field=["new_end_ts"])
    if start >= end:
        raise ValidationFailed(f"new_end_ts ({end / 1000:g}) must be after new_start_ts ({start / 1000:g})",
                               field=["new_end_ts"])
    segment.start_ms, segment.end_ms = start, end
    await uow.session.flush()
    return segment


async def remove(uow: UnitOfWork, tenant_id: uuid.UUID, segment_id: str) -> uuid.UUID:
    """Soft delete: the segment leaves the timeline (its row stays); deleting it again answers the same."""
    segment = await get_segment(uow, tenant_id, segment_id, active=False)
    if segment.active:
        await replace(uow, tenant_id, segment, [])
    return segment.id

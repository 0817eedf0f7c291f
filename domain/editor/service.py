"""Editor use cases: projects over a source video, the shared timeline overlay (grade, accept), the pieces a render
plays, previews of the timeline, and colour grades."""
from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from domain import urls
from domain.assets import repository as assets_repo
from domain.assets import service as assets
from domain.assets.models import PROCESSING, UPLOADING, Asset
from domain.db import UnitOfWork
from domain.editor import grading, repository
from domain.editor.models import ORIGINAL, SOURCES, Project, TimelineSegment
from domain.editor.timeline import get_segment, piece_of, replace
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.jobs.service import parse_id
from domain.pagination import Page, clamp_first, decode_cursor
from domain.ports import Ports
from domain.tenancy.service import Viewer
from domain.tombstones import service as tombstones

MAX_STRIP_FRAMES = 300
PREVIEW_TTL_S = 3600


@dataclass(frozen=True)
class Frame:
    """A published preview frame: its signed URL and the timeline second it shows."""

    frame_url: str
    timestamp: float


class Piece(dict):
    """One active segment as a renderer reads it: `duration_s` of file `key` from `start_s`, placed at
    `timeline_start_s` — keys segment_id, key, start_s, duration_s, timeline_start_s, source, grade (a dict, so
    piece["key"] and piece.key both read)."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def project_prefix(tenant_id: uuid.UUID, project_id: uuid.UUID) -> str:
    """Where a project's own files live (grades, variants, previews, exports): removed with the project."""
    return f"t/{tenant_id}/p/{project_id}/"


# ---------------------------------------------------------------- the shared timeline operations
async def overlay(uow: UnitOfWork, tenant_id: uuid.UUID, segment: TimelineSegment, *, start_ms: int, end_ms: int,
                  source: str, file_key: str, variant_id: uuid.UUID | None = None, grade: dict | None = None,
                  job_id: uuid.UUID | None = None) -> TimelineSegment:
    """Replace source range [start_ms, end_ms] of active `segment` with a segment playing `file_key` (whose time 0 is
    `start_ms`): `segment` is deactivated, its left and right remainders (when not empty) keep playing what it played.
    Returns the replacement. Raises Conflict when the segment is no longer active (edited meanwhile)."""
    if not segment.active or segment.tenant_id != tenant_id:
        raise Conflict("the segment is no longer on the timeline", field=["segment_id"])
    if source not in SOURCES or source == ORIGINAL:
        raise ValidationFailed(f"an overlay's source is one of generated, variant, not {source!r}", field=["source"])
    if not segment.start_ms <= start_ms < end_ms <= segment.end_ms:
        raise ValidationFailed(f"the range {start_ms}-{end_ms} ms is not inside the segment's "
                               f"{segment.start_ms}-{segment.end_ms} ms", field=["start_ts"])
    replacement = TimelineSegment(
        id=uuid.uuid4(), tenant_id=tenant_id, project_id=segment.project_id, asset_id=segment.asset_id, source=source,
        start_ms=start_ms, end_ms=end_ms, bound_start_ms=start_ms, bound_end_ms=end_ms, active=True,
        parent_id=segment.id, variant_id=variant_id, file_key=file_key, grade=grade, job_id=job_id)
    pieces = ([piece_of(segment, segment.start_ms, start_ms)] if start_ms > segment.start_ms else []) + [replacement] + \
        ([piece_of(segment, end_ms, segment.end_ms)] if end_ms < segment.end_ms else [])
    await replace(uow, tenant_id, segment, pieces)
    return replacement


def media_of(segment: TimelineSegment, original_key: str | None) -> tuple[str | None, float, float]:
    """(file key, seconds into that file, duration) of what a segment plays."""
    offset_ms = segment.start_ms - (segment.bound_start_ms if segment.file_key else 0)
    return segment.file_key or original_key, offset_ms / 1000, (segment.end_ms - segment.start_ms) / 1000


async def timeline_pieces(uow: UnitOfWork, tenant_id: uuid.UUID, project_id: uuid.UUID) -> list[Piece]:
    """The active timeline in order, each segment as the file to read and the range of it to play."""
    segments = await repository.active_segments(uow.session, tenant_id, project_id)
    originals = await repository.original_file_keys(
        uow.session, tenant_id, sorted({s.asset_id for s in segments if s.file_key is None and s.asset_id}))
    pieces, at = [], 0.0
    for segment in segments:
        key, start_s, duration_s = media_of(segment, originals.get(segment.asset_id))
        if key is None:  # the source file is gone (asset deleted): nothing to play for this segment
            continue
        pieces.append(Piece(segment_id=segment.id, key=key, start_s=start_s, duration_s=duration_s,
                            timeline_start_s=at, source=segment.source, grade=segment.grade))
        at = round(at + duration_s, 6)
    return pieces


# ---------------------------------------------------------------- projects
async def create_project(uow: UnitOfWork, ports: Ports, viewer: Viewer, name: str | None, description: str | None,
                         video_url: str | None) -> tuple[Project, Job | None]:
    """The project row and, with a `video_url`, its source asset fetched by the guarded downloader and probed (the
    probe opens the first segment: domain/editor/timeline.py::open_first_segment)."""
    name = (name or "").strip()
    if not name or len(name) > 255:
        raise ValidationFailed("name must be 1 to 255 characters", field=["name"])
    project = Project(id=uuid.uuid4(), tenant_id=viewer.tenant_id, name=name, description=description)
    job = None
    if video_url:
        await urls.check(video_url, allow_private=ports.settings.allow_private_urls, field=["video_url"])
        filename = PurePosixPath(urlsplit(video_url).path).name or "video.mp4"
        asset = await assets.create(uow, viewer, assets.NewAsset(filename=filename[:200]))
        asset.status = PROCESSING
        project.asset_id = asset.id
        job = await jobs.create(uow, ports, viewer, kind="probe", asset_id=asset.id, priority="high",
                                input={"asset_id": str(asset.id), "url": video_url, "transcribe": False,
                                       "project_id": str(project.id)})
    repository.add(uow.session, project)
    await uow.session.flush()
    return project, job


async def get_project(uow: UnitOfWork, viewer: Viewer, project_id: str | uuid.UUID,
                      field: list[str] | None = None) -> Project:
    field = field or ["project_id"]
    project = await repository.get_project(uow.session, viewer.tenant_id, parse_id(project_id, "project", field))
    if project is None:
        raise NotFound("project", project_id, field=field)
    return project


async def project_page(uow: UnitOfWork, viewer: Viewer, first: int | None, after: str | None,
                       offset: int = 0) -> Page[Project]:
    items, more, total = await repository.project_page(uow.session, viewer.tenant_id, limit=clamp_first(first, 20),
                                                       offset=max(offset, 0), after=decode_cursor(after))
    return Page(items, more, total)


async def delete_project(uow: UnitOfWork, ports: Ports, viewer: Viewer, project_id: str) -> uuid.UUID:
    """The project, its rows, its source asset (with the asset's files) and its own files (grades, previews...)."""
    project = await get_project(uow, viewer, project_id, ["id"])
    asset_id = project.asset_id
    await repository.delete_project(uow.session, project)
    if asset_id is not None and await assets_repo.get(uow.session, viewer.tenant_id, asset_id) is not None:
        await assets.delete(uow, ports, viewer, asset_id)
    tombstones.bury(uow, ports, project_prefix(viewer.tenant_id, project.id), tenant_id=viewer.tenant_id)
    return project.id


def status_of(asset: Asset | None) -> str:
    """A project's state is its source's: empty (no video yet), uploading, processing, ready or failed."""
    return asset.status if asset is not None else "empty"


async def start_upload(uow: UnitOfWork, ports: Ports, viewer: Viewer, project_id: str, file_name: str | None,
                       content_type: str | None):
    """A new source asset for the project and one signed PUT URL for its bytes (a one-part upload)."""
    project = await get_project(uow, viewer, project_id)
    current = await _asset(uow, project)
    if current is not None and current.status != "failed":
        raise Conflict(f"project {project.id} has its video already ({current.status}); start a new project for "
                       "another one", field=["project_id"])
    name = (file_name or "").strip()
    if not name:
        raise ValidationFailed("file_name must not be empty", field=["file_name"])
    if content_type and content_type.split("/")[0] not in ("video", "application"):
        raise ValidationFailed(f"content_type must be a video type, not {content_type!r}", field=["content_type"])
    if current is not None:  # a source that failed: replaced, its files removed
        await assets.delete(uow, ports, viewer, current.id)
    asset = await assets.create(uow, viewer, assets.NewAsset(filename=name[:200]))
    # One transaction with the asset's creation: the storage call stays inside it here (a one-part start).
    started = await assets.start_upload(uow, ports, viewer, str(asset.id), 1, own_transaction=False)
    project.asset_id = asset.id
    await uow.session.flush()
    return started


async def settle_upload(uow: UnitOfWork, ports: Ports, viewer: Viewer, project_id: str) -> bool:
    """Finish the project's single-PUT upload once its bytes have landed, which queues the probe (that opens the
    timeline). Runs when the project is read: the document's client PUTs and never calls back."""
    project = await get_project(uow, viewer, project_id, ["id"])
    asset = await _asset(uow, project)
    if asset is None or asset.status != UPLOADING or not asset.upload_id:
        return False
    etags = await ports.storage.landed_parts(asset.upload_key, asset.upload_id, asset.upload_parts or 1)
    if not etags:
        return False
    await assets.finish_upload(uow, ports, viewer, str(asset.id), etags, own_transaction=False)
    return True


# ---------------------------------------------------------------- previews
async def _pieces_at(uow: UnitOfWork, viewer: Viewer, project: Project, times: list[float], field: str):
    pieces = await timeline_pieces(uow, viewer.tenant_id, project.id)
    total = round(sum(p.duration_s for p in pieces), 6)
    if not pieces:
        raise Conflict(f"project {project.id} has no timeline yet (its video is {status_of(await _asset(uow, project))})",
                       field=["project_id"])
    located = []
    for t in times:
        if not 0 <= t < total:
            raise ValidationFailed(f"{field} must be within the timeline, 0 <= {field} < {total:g} s, not {t:g}",
                                   field=[field])
        piece = next(p for p in reversed(pieces) if p.timeline_start_s <= t + 1e-9)
        located.append((piece.key, piece.start_s + (t - piece.timeline_start_s)))
    return located


async def _asset(uow: UnitOfWork, project: Project) -> Asset | None:
    return await assets_repo.get(uow.session, project.tenant_id, project.asset_id) if project.asset_id else None


async def _publish(ports: Ports, tenant_id: uuid.UUID, project_id: uuid.UUID, located: list[tuple[str, float]],
                   grade: dict | None = None) -> list[str]:
    """Grab the frames (one ffmpeg pass per source file), store them as JPEGs and answer their signed URLs."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for n, (key, _) in enumerate(located):
        by_key[key].append(n)
    out: list[str | None] = [None] * len(located)
    batch = uuid.uuid4().hex[:12]
    with tempfile.TemporaryDirectory(prefix="mg-preview-") as tmp:
        for number, (key, positions) in enumerate(by_key.items()):
            async with ports.storage.local_copy(key) as path:
                files = await asyncio.to_thread(ports.frames.grab, Path(path), [located[n][1] for n in positions],
                                                Path(tmp) / str(number), grade)
            for n, file in zip(positions, files):
                target = f"{project_prefix(tenant_id, project_id)}previews/{batch}-{n:05d}.jpg"
                await ports.storage.put_file(target, file, "image/jpeg")
                out[n] = await ports.storage.signed_url(target, PREVIEW_TTL_S, content_type="image/jpeg")
    return out


async def preview_frame(uow: UnitOfWork, ports: Ports, viewer: Viewer, project_id: str, ts: float) -> Frame:
    project = await get_project(uow, viewer, project_id)
    located = await _pieces_at(uow, viewer, project, [ts], "ts")
    return Frame((await _publish(ports, viewer.tenant_id, project.id, located))[0], ts)


async def preview_strip(uow: UnitOfWork, ports: Ports, viewer: Viewer, project_id: str, start: float, end: float,
                        fps: float) -> list[Frame]:
    """(end - start) * fps frames from `start`, 1/fps apart, in timeline seconds."""
    project = await get_project(uow, viewer, project_id)
    if not fps > 0:
        raise ValidationFailed(f"fps must be above 0, not {fps:g}", field=["fps"])
    if not end > start:
        raise ValidationFailed(f"end must be after start ({start:g} s), not {end:g}", field=["end"])
    count = int(round((end - start) * fps, 6))
    if count > MAX_STRIP_FRAMES:
        raise ValidationFailed(f"a strip has at most {MAX_STRIP_FRAMES} frames; (end - start) * fps is {count}",
                               field=["fps"])
    times = [round(start + n / fps, 6) for n in range(count)]
    located = await _pieces_at(uow, viewer, project, times, "start")
    urls_ = await _publish(ports, viewer.tenant_id, project.id, located)
    return [Frame(url, t) for t, url in zip(times, urls_)]


# ---------------------------------------------------------------- grading
async def segment_media(uow: UnitOfWork, segment: TimelineSegment) -> tuple[str, float, float]:
    originals = await repository.original_file_keys(uow.session, segment.tenant_id,
                                                    [segment.asset_id] if segment.asset_id else [])
    key, start_s, duration_s = media_of(segment, originals.get(segment.asset_id))
    if key is None:
        raise Conflict("the segment's source file is gone", field=["segment_id"])
    return key, start_s, duration_s


async def request_grade(uow: UnitOfWork, ports: Ports, viewer: Viewer, segment_id: str, values: dict) -> Job:
    """Queue the render of a graded copy of the segment; when done it replaces the segment on the timeline."""
    segment = await get_segment(uow, viewer.tenant_id, segment_id)
    grade = grading.validate(values)
    await segment_media(uow, segment)
    project = await repository.get_project(uow.session, viewer.tenant_id, segment.project_id)
    return await jobs.create(uow, ports, viewer, kind="color_grade", asset_id=project.asset_id if project else None,
                             input={"segment_id": str(segment.id), "project_id": str(segment.project_id),
                                    "grade": grade})


async def grade_preview(uow: UnitOfWork, ports: Ports, viewer: Viewer, segment_id: str, values: dict) -> str:
    """One graded frame from the middle of the segment, rendered now."""
    segment = await get_segment(uow, viewer.tenant_id, segment_id, active=False)
    grade = grading.validate(values)
    key, start_s, duration_s = await segment_media(uow, segment)
    return (await _publish(ports, viewer.tenant_id, segment.project_id, [(key, start_s + duration_s / 2)], grade))[0]


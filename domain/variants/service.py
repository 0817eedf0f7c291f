"""Generation use cases: ask for variants of a timeline range, read generation jobs, accept a variant onto the
timeline, score it, and the AI health and timeline views.

Times: `start_ts`/`end_ts` are timeline seconds; a request must fall inside one active segment (a range across a cut
is refused, 422 on `end_ts`: the variant is one file replacing part of one segment). The variant stores source
milliseconds and its base segment (`operation.segment_id`)."""
from __future__ import annotations

import math
import uuid

from domain.db import UnitOfWork, utcnow
from domain.editor import repository as editor_repo
from domain.editor import service as editor
from domain.editor.models import VARIANT, Project, TimelineSegment, Variant
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import COMPLETED, Job
from domain.pagination import Page
from domain.ports import Ports
from domain.tenancy.service import Viewer
from domain.variants import operations, providers
from domain.variants import repository
from domain.variants import scoring

KIND = "region_edit"
AI_KINDS = ("region_edit", "color_grade")  # the AI operations /api/ai/timeline lists
EXPORT_KINDS = {"export", "timeline_export"}  # answered by their own routes, not GET /api/job/{id}
MAX_RANGE_S = 120.0
MAX_PROMPT = 2000
STATUS_WORDS = {"queued": "pending", "running": "running", "completed": "completed", "failed": "failed",
                "cancelled": "failed"}
COMPARE_TO = ("prompt", "original")


def _uuid(value, what: str, field: list[str]) -> uuid.UUID:
    return jobs.parse_id(value, what, field)


def _box(box: dict | None) -> dict:
    """The bounding box in relative units, checked: inside the frame, not empty. None is the whole frame."""
    if box is None:
        return {"x": 0.0, "y": 0.0, "width": 1.0, "height": 1.0}
    out = {}
    for name in ("x", "y", "width", "height"):
        value = box.get(name)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise ValidationFailed(f"bounding_box.{name} must be a number", field=["bounding_box", name])
        out[name] = float(value)
    for name in ("x", "y"):
        if not 0 <= out[name] < 1:
            raise ValidationFailed(f"bounding_box.{name} must be in [0, 1) (relative units)", field=["bounding_box", name])
    for name, origin in (("width", "x"), ("height", "y")):
        if not 0 < out[name] <= 1 or out[origin] + out[name] > 1 + 1e-6:
            raise ValidationFailed(f"bounding_box.{name} must be in (0, 1] with {origin} + {name} <= 1",
                                   field=["bounding_box", name])
    return out


def _range(start_ts: float, end_ts: float) -> tuple[int, int]:
    for name, value in (("start_ts", start_ts), ("end_ts", end_ts)):
        if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValidationFailed(f"{name} must be a number of seconds >= 0", field=[name])
    if end_ts <= start_ts:
        raise ValidationFailed("end_ts must be after start_ts", field=["end_ts"])
    if end_ts - start_ts > MAX_RANGE_S:
        raise ValidationFailed(f"a generation range may last at most {MAX_RANGE_S:g} s", field=["end_ts"])
    return round(start_ts * 1000), round(end_ts * 1000)


async def _project(uow: UnitOfWork, viewer: Viewer, project_id) -> Project:
    ident = _uuid(project_id, "project", ["project_id"])
    project = await editor_repo.get_project(uow.session, viewer.tenant_id, ident)
    if project is None:
        raise NotFound("project", project_id, field=["project_id"])
    return project


async def _segment_at(uow: UnitOfWork, tenant_id: uuid.UUID, project: Project, start: int, end: int
                      ) -> tuple[TimelineSegment, int, int]:
    """The active segment holding timeline range [start, end] ms, and that range in source ms."""
    segments = await editor_repo.active_segments(uow.session, tenant_id, project.id)
    if not segments:
        raise ValidationFailed("the project has no timeline yet (its video is not probed)", field=["project_id"])
    at = 0
    for segment in segments:
        length = segment.end_ms - segment.start_ms
        if at <= start < at + length:
            if end > at + length:
                raise ValidationFailed(f"the range crosses a cut at {(at + length) / 1000:g} s; generate within one "
                                       f"segment", field=["end_ts"])
            return segment, segment.start_ms + start - at, segment.start_ms + end - at
        at += length
    raise ValidationFailed(f"start_ts is past the end of the timeline ({at / 1000:g} s)", field=["start_ts"])


async def generate(uow: UnitOfWork, ports: Ports, viewer: Viewer, *, project_id, prompt: str, start_ts: float,
                   end_ts: float, bounding_box: dict | None = None, provider: str | None = None) -> Job:
    """Validate everything, then queue one region_edit job (nothing is written when any check fails)."""
    project = await _project(uow, viewer, project_id)
    prompt = (prompt or "").strip()
    if not prompt or len(prompt) > MAX_PROMPT:
        raise ValidationFailed(f"prompt must be 1-{MAX_PROMPT} characters", field=["prompt"])
    box = _box(bounding_box)
    start, end = _range(start_ts, end_ts)
    chosen, operation = providers.choose(ports.settings, prompt, provider)
    segment, source_start, source_end = await _segment_at(uow, viewer.tenant_id, project, start, end)
    return await jobs.create(uow, ports, viewer, kind=KIND, asset_id=project.asset_id, provider=chosen, input={
        "project_id": str(project.id), "segment_id": str(segment.id), "prompt": prompt, "operation": operation,
        "provider": chosen, "start_ts": start / 1000, "end_ts": end / 1000, "start_ms": source_start,
        "end_ms": source_end, "bounding_box": box,
        "strengths": list(operations.STRENGTHS) if chosen == providers.LOCAL else []})


async def job(uow: UnitOfWork, viewer: Viewer, job_id) -> Job:
    """Any job of the tenant but exports (those have their own route)."""
    found = await jobs.get(uow, viewer, job_id)
    if found.kind in EXPORT_KINDS:
        raise NotFound("job", job_id)
    return found


def project_of(found: Job) -> str | None:
    return (found.input or {}).get("project_id")


async def variants_of(uow: UnitOfWork, tenant_id: uuid.UUID, job_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Variant]]:
    grouped: dict[uuid.UUID, list[Variant]] = {ident: [] for ident in job_ids}
    for variant in await repository.by_jobs(uow.session, tenant_id, job_ids):
        grouped[variant.job_id].append(variant)
    for rows in grouped.values():
        rows.sort(key=lambda v: (v.operation or {}).get("index", 0))
    return grouped


async def get_variant(uow: UnitOfWork, viewer: Viewer, variant_id) -> Variant:
    variant = await repository.get(uow.session, viewer.tenant_id, _uuid(variant_id, "variant", ["variant_id"]))
    if variant is None:
        raise NotFound("variant", variant_id, field=["variant_id"])
    return variant


async def accept(uow: UnitOfWork, ports: Ports, viewer: Viewer, variant_id) -> tuple[Variant, TimelineSegment]:
    """Put the variant on the timeline over its source range: the active segment now holding that range (the base
    segment or a piece cut from it, playing the same file) is split around it. Accepting again answers the segment
    already placed."""
    variant = await get_variant(uow, viewer, variant_id)
    if not variant.file_key:
        raise Conflict("the variant has no rendered file", field=["variant_id"])
    segments = await editor_repo.active_segments(uow.session, viewer.tenant_id, variant.project_id)
    placed = next((s for s in segments if s.variant_id == variant.id and s.source == VARIANT), None)
    if placed is not None:
        return variant, placed
    base = await editor_repo.get_segment(uow.session, viewer.tenant_id,
                                         uuid.UUID((variant.operation or {})["segment_id"]))
    holder = next((s for s in segments if base is not None and s.asset_id == base.asset_id
                   and s.file_key == base.file_key and s.start_ms <= variant.start_ms and variant.end_ms <= s.end_ms),
                  None)
    if holder is None:
        raise Conflict("the timeline no longer plays the range this variant was made from", field=["variant_id"])
    segment = await editor.overlay(uow, viewer.tenant_id, holder, start_ms=variant.start_ms, end_ms=variant.end_ms,
                                   source=VARIANT, file_key=variant.file_key, variant_id=variant.id,
                                   job_id=variant.job_id)
    variant.accepted_at = utcnow()
    return variant, segment


async def score(uow: UnitOfWork, viewer: Viewer, variant_id, compare_to: str | None, method: str | None = None) -> dict:
    compare_to = compare_to or "prompt"
    if compare_to not in COMPARE_TO:
        raise ValidationFailed("compare_to must be prompt or original", field=["compare_to"])
    if method not in (None, "", "local", "auto"):
        raise ValidationFailed("method must be local or auto", field=["method"])
    variant = await get_variant(uow, viewer, variant_id)
    words, method = scoring.score(variant, compare_to, method)
    return {"variant_id": str(variant.id), "compare_to": compare_to, "method": method, **words,
            "metrics": (variant.operation or {}).get("metrics")}


async def timeline(uow: UnitOfWork, viewer: Viewer, *, first: int | None, after: str | None) -> Page[Job]:
    """The tenant's AI operations (region edits and colour grades), newest first, from the job log."""
    return await jobs.list_page(uow, viewer, first=first, after=after, kinds=AI_KINDS)


async def health(ports: Ports) -> list[dict]:
    return await providers.health(ports.settings)


def completed(found: Job) -> bool:
    return found.status == COMPLETED

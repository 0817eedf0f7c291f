"""Export use cases: queue the render of a project's timeline (a `timeline_export` job), read an export back, and
describe the timeline for OTIO / EDL / FCPXML; the files are served by signed URL."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain.assets import repository as assets_repo
from domain.db import UnitOfWork
from domain.editor import service as editor
from domain.editor.models import ORIGINAL
from domain.errors import ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import CANCELLED, COMPLETED, FAILED, QUEUED, Job
from domain.ports import Ports
from domain.tenancy.service import Viewer
from domain.timeline_exports import interchange as writer

KIND = "timeline_export"
FORMATS = ("mp4",)
INTERCHANGE = ("otio", "edl", "fcpxml")
# The document's status words for the job's states.
STATUS_WORDS = {QUEUED: "pending", CANCELLED: "failed"}
DEFAULT_RATE = 25.0
INTERCHANGE_URL_TTL_S = 7 * 24 * 3600  # the media links in an interchange file: long enough to relink in an NLE


def status_word(job: Job) -> str:
    return STATUS_WORDS.get(job.status, job.status)


def output_key(tenant_id: uuid.UUID, project_id: str | uuid.UUID, job_id: uuid.UUID, fmt: str) -> str:
    """Kept under the project's prefix: deleting the project deletes its exports."""
    return f"{editor.project_prefix(tenant_id, uuid.UUID(str(project_id)))}exports/{job_id}.{fmt}"


def filename(job: Job) -> str:
    return f"export-{job.id}.{job.input.get('format', 'mp4')}"


def _check_format(fmt: str | None, allowed: tuple[str, ...]) -> str:
    fmt = (fmt or allowed[0]).strip().lower().lstrip(".")
    if fmt not in allowed:
        raise ValidationFailed(f"format {fmt!r} is not supported; supported: {', '.join(allowed)}", field=["format"])
    return fmt


async def request(uow: UnitOfWork, ports: Ports, viewer: Viewer, project_id: str, fmt: str | None) -> Job:
    """Queue the export of the project's active timeline as it is now (the pieces are fixed in the job's input)."""
    fmt = _check_format(fmt, FORMATS)
    project = await editor.get_project(uow, viewer, project_id)
    pieces = await editor.timeline_pieces(uow, viewer.tenant_id, project.id)
    if not pieces:
        raise ValidationFailed("the project's timeline has no segment to export yet (is its video probed?)",
                               field=["project_id"])
    return await jobs.create(
        uow, ports, viewer, kind=KIND, asset_id=project.asset_id,
        input={"project_id": str(project.id), "format": fmt,
               "pieces": [{"segment_id": str(p["segment_id"]), "key": p["key"], "start_s": p["start_s"],
                           "duration_s": p["duration_s"], "source": p["source"]} for p in pieces]})


async def get(uow: UnitOfWork, viewer: Viewer, export_id: str) -> Job:
    """An export job of the viewer's tenant (any other id, or another kind of job, is not found)."""
    return await jobs.get(uow, viewer, export_id, kind=KIND)


async def urls(ports: Ports, job: Job, expires_s: int) -> tuple[str | None, str | None]:
    """(inline URL, download URL) of a finished export's file; None until it is completed."""
    key = (job.result or {}).get("file_key")
    if job.status != COMPLETED or not key:
        return None, None
    inline = await ports.storage.signed_url(key, expires_s, content_type="video/mp4")
    # no known type: served as an attachment, under the export's file name
    download = await ports.storage.signed_url(key, expires_s, filename=filename(job))
    return inline, download


def error_message(job: Job) -> str | None:
    if job.status == CANCELLED:
        return job.error_message or "the export was cancelled"
    return job.error_message if job.status == FAILED else None


@dataclass(frozen=True)
class Interchange:
    content: str
    content_type: str
    filename: str


async def interchange(uow: UnitOfWork, ports: Ports, viewer: Viewer, project_id: str, fmt: str) -> Interchange:
    """The active timeline as an OTIO, EDL or FCPXML file; media are linked by signed URL and named by file."""
    fmt = _check_format(fmt, INTERCHANGE)
    project = await editor.get_project(uow, viewer, project_id)
    pieces = await editor.timeline_pieces(uow, viewer.tenant_id, project.id)
    asset = await assets_repo.get(uow.session, viewer.tenant_id, project.asset_id) if project.asset_id else None
    media = (asset.media or {}) if asset else {}
    rate = float(media.get("frame_rate") or DEFAULT_RATE)
    source_name = asset.filename if asset else "source.mp4"
    source_s = asset.duration_ms / 1000 if asset and asset.duration_ms else None
    clips = []
    for n, piece in enumerate(pieces, start=1):
        original = piece["source"] == ORIGINAL
        media_name = source_name if original else f"{piece['source']}-{piece['segment_id']}.mp4"
        url = await ports.storage.signed_url(piece["key"], INTERCHANGE_URL_TTL_S, content_type="video/mp4")
        clips.append(writer.Clip(f"{n:03d} {piece['source']}", media_name, url, piece["start_s"], piece["duration_s"],
                                 source_s if original else None))
    content, content_type, suffix = writer.render(fmt, project.name, clips, rate)
    return Interchange(content, content_type, f"timeline-{project.id}.{suffix}")

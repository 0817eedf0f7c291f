"""TimelineExport (a project's timeline rendered to one file, read from its `timeline_export` job) and
TimelineInterchange (the timeline as an OTIO, EDL or FCPXML file)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.timeline_exports import fields as resolve

LazyJob = Annotated["Job", strawberry.lazy("schema.jobs.types")]


@strawberry.enum(description="The editor document's status words: QUEUED reads PENDING, CANCELLED reads FAILED.")
class ExportStatus(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


@strawberry.enum
class InterchangeFormat(enum.Enum):
    OTIO = "otio"
    EDL = "edl"
    FCPXML = "fcpxml"


@strawberry.type(description="A render of a project's active timeline to one MP4 (frame-accurate; plain cuts are "
                             "stream-copied and only the frames around cuts off a keyframe are encoded). Its id is "
                             "the id of its TIMELINE_EXPORT job.")
class TimelineExport:
    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.id))

    @strawberry.field
    def project_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.input.get("project_id")))

    @strawberry.field
    def format(self) -> str:
        return self.input.get("format", "mp4")

    @strawberry.field
    def status(self) -> ExportStatus:
        return ExportStatus(resolve.status_word(self))

    @strawberry.field
    def progress(self) -> int:
        return self.progress

    @strawberry.field
    def error(self) -> str | None:
        return resolve.error_message(self)

    @strawberry.field(description="Signed URL of the file, served inline (video/mp4); null until completed.")
    async def export_url(self, info: strawberry.Info, expires_in: int = 3600) -> str | None:
        return (await resolve.urls(self, info, expires_in))[0]

    @strawberry.field(description="Signed URL of the file, served as an attachment; null until completed.")
    async def download_url(self, info: strawberry.Info, expires_in: int = 3600) -> str | None:
        return (await resolve.urls(self, info, expires_in))[1]

    @strawberry.field(description="Length of the export in seconds (frames / frame rate), once completed.")
    def duration_s(self) -> float | None:
        return (self.result or {}).get("duration_s")

    @strawberry.field(description="Frames stream-copied from the sources, once completed.")
    def copied_frames(self) -> int | None:
        return (self.result or {}).get("copied_frames")

    @strawberry.field(description="Frames encoded (around cuts off a keyframe, and graded or foreign pieces).")
    def encoded_frames(self) -> int | None:
        return (self.result or {}).get("encoded_frames")

    @strawberry.field
    def created_at(self) -> datetime:
        return self.created_at

    @strawberry.field
    def completed_at(self) -> datetime | None:
        return self.completed_at

    @strawberry.field(description="The job itself (its stage, progress and events on jobUpdated).")
    def job(self) -> LazyJob:
        return self


@strawberry.type(description="The timeline as a file for another editor: media linked by signed URL (a week).")
class TimelineInterchange:
    content: str
    content_type: str
    filename: str

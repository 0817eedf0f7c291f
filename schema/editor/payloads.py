"""Payloads of the editor mutations."""
from __future__ import annotations

import strawberry

from schema.common import UserError
from schema.editor.types import LazyJob, Project, TimelineSegment


@strawberry.type
class ProjectPayload:
    errors: list[UserError]
    project: Project | None
    job: LazyJob | None = strawberry.field(description="The source's fetch-and-probe job, when a videoUrl was given.")


@strawberry.type
class ProjectUploadPayload:
    errors: list[UserError]
    project: Project | None
    upload_url: str | None = strawberry.field(description="One signed PUT of the whole file; the probe runs once "
                                                          "it has landed.")
    expires_at: str | None

    @strawberry.field
    def asset_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.asset_id)) if self.asset_id else None


@strawberry.type
class SplitSegmentPayload:
    errors: list[UserError]
    left: TimelineSegment | None
    right: TimelineSegment | None


@strawberry.type
class TimelineSegmentPayload:
    errors: list[UserError]
    segment: TimelineSegment | None


@strawberry.type
class ColorGradePayload:
    errors: list[UserError]
    job: LazyJob | None
    segment: TimelineSegment | None = strawberry.field(description="The graded segment once rendered (with wait).")


@strawberry.type
class PreviewFrame:
    frame_url: str
    timestamp: float


@strawberry.type
class PreviewPayload:
    errors: list[UserError]
    frames: list[PreviewFrame] | None
    preview_frame_url: str | None = strawberry.field(description="gradePreview: the graded frame.")

"""Root fields of the editor: projects, their timeline edits, previews and colour grades."""
from __future__ import annotations

import strawberry

from domain.editor.grading import describe
from resolvers.editor import mutations, queries
from schema.common import Connection
from schema.editor.inputs import (
    ColorGradeInput,
    CreateProjectInput,
    PreviewFrameInput,
    PreviewStripInput,
    ProjectUploadInput,
    SplitSegmentInput,
    TrimSegmentInput,
)
from schema.editor.payloads import (
    ColorGradePayload,
    PreviewPayload,
    ProjectPayload,
    ProjectUploadPayload,
    SplitSegmentPayload,
    TimelineSegmentPayload,
)
from schema.editor.types import Project, TimelineSegment
from schema.idempotency import idempotent_mutation
from schema.templates.payloads import DeletedPayload


@strawberry.type
class EditorQuery:
    @strawberry.field
    async def project(self, info: strawberry.Info, id: strawberry.ID) -> Project | None:
        return await queries.project(info, id)

    @strawberry.field(description="The tenant's editing projects, newest first.")
    async def projects(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                       offset: int = 0) -> Connection[Project]:
        return await queries.project_page(info, first, after, offset)

    @strawberry.field(description="A timeline segment, active or not (history stays after split, grade, delete).")
    async def timeline_segment(self, info: strawberry.Info, id: strawberry.ID) -> TimelineSegment | None:
        return await queries.segment(info, id)


@strawberry.type
class EditorMutation:
    @idempotent_mutation(description="A project; with videoUrl the server fetches the video, probes it and opens "
                                     "the timeline as one segment spanning it.")
    async def create_project(self, info: strawberry.Info, input: CreateProjectInput) -> ProjectPayload:
        return await mutations.create_project(info, input)

    @idempotent_mutation(description="A new source asset for the project and one signed PUT URL for the file.")
    async def start_project_upload(self, info: strawberry.Info, input: ProjectUploadInput) -> ProjectUploadPayload:
        return await mutations.start_upload(info, input)

    @strawberry.mutation(description="The project, its segments, its source asset and every file made for it.")
    async def delete_project(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_project(info, id)

    @idempotent_mutation(description="Deactivate the segment and put two segments (left, right) in its place.")
    async def split_segment(self, info: strawberry.Info, input: SplitSegmentInput) -> SplitSegmentPayload:
        return await mutations.split_segment(info, input)

    @strawberry.mutation(description="Move the segment's ends within the bounds of the segment it was cut from.")
    async def trim_segment(self, info: strawberry.Info, input: TrimSegmentInput) -> TimelineSegmentPayload:
        return await mutations.trim_segment(info, input)

    @strawberry.mutation(description="Take the segment off the timeline (a soft delete: its row stays).")
    async def delete_segment(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_segment(info, id)

    @idempotent_mutation(description="Render the segment graded (a COLOR_GRADE job); the render replaces it on the "
                                     f"timeline as a generated segment. Controls: {describe()}.")
    async def color_grade_segment(self, info: strawberry.Info, input: ColorGradeInput) -> ColorGradePayload:
        return await mutations.color_grade(info, input)

    @strawberry.mutation(description="One graded frame from the middle of the segment, rendered now (previewFrameUrl).")
    async def grade_preview(self, info: strawberry.Info, input: ColorGradeInput) -> PreviewPayload:
        return await mutations.grade_preview(info, input)

    @strawberry.mutation(description="A JPEG of the timeline at a timeline second, published as a signed URL.")
    async def preview_frame(self, info: strawberry.Info, input: PreviewFrameInput) -> PreviewPayload:
        return await mutations.preview_frame(info, input)

    @strawberry.mutation(description="(end - start) * fps JPEGs of the timeline from start, 1/fps apart; one ffmpeg "
                                     "pass per source file.")
    async def preview_strip(self, info: strawberry.Info, input: PreviewStripInput) -> PreviewPayload:
        return await mutations.preview_strip(info, input)

"""Project (a Node over one source video) and TimelineSegment (a range of a file on its timeline)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import strawberry

from domain.editor import models
from resolvers.editor import fields as resolve
from schema.common import JSONScalar, Node, model_check

LazyAsset = Annotated["Asset", strawberry.lazy("schema.assets.types")]
LazyJob = Annotated["Job", strawberry.lazy("schema.jobs.types")]


@strawberry.enum
class SegmentSource(enum.Enum):
    ORIGINAL = "original"
    GENERATED = "generated"
    VARIANT = "variant"


@strawberry.type(description="One piece of a project's timeline. Times are seconds of the project's *source* video "
                             "(startTs..endTs); its place on the timeline follows from orderIndex.")
class TimelineSegment(Node):
    is_type_of = model_check(models.TimelineSegment)
    order_index: int
    active: bool
    created_at: datetime

    @strawberry.field
    def project_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.project_id))

    @strawberry.field(description="Source second the segment starts at.")
    def start_ts(self) -> float:
        return self.start_ms / 1000

    @strawberry.field(description="Source second the segment ends at (exclusive).")
    def end_ts(self) -> float:
        return self.end_ms / 1000

    @strawberry.field(description="The earliest startTs trim may move to (the bounds of the segment it was cut from).")
    def bound_start_ts(self) -> float:
        return self.bound_start_ms / 1000

    @strawberry.field(description="The latest endTs trim may move to.")
    def bound_end_ts(self) -> float:
        return self.bound_end_ms / 1000

    @strawberry.field
    def source(self) -> SegmentSource:
        return SegmentSource(self.source)

    @strawberry.field
    def variant_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.variant_id)) if self.variant_id else None

    @strawberry.field
    def parent_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.parent_id)) if self.parent_id else None

    @strawberry.field(description="The colour grade a generated segment was rendered with.")
    def grade(self) -> JSONScalar | None:
        return self.grade

    @strawberry.field(description="Signed URL of the file the segment plays: its own render (generated, variant) "
                                  "or the source video (original: play it from startTs to endTs).")
    async def url(self, info: strawberry.Info, expires_in: int = 3600) -> str | None:
        return await resolve.segment_url(self, info, expires_in)

    @strawberry.field
    async def job(self, info: strawberry.Info) -> LazyJob | None:
        return await info.context.loaders.job.load(self.job_id) if self.job_id else None


@strawberry.type(description="An editing project: a source video and the timeline of segments cut from it.")
class Project(Node):
    is_type_of = model_check(models.Project)
    name: str
    description: str | None
    created_at: datetime
    updated_at: datetime | None

    @strawberry.field
    def asset_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.asset_id)) if self.asset_id else None

    @strawberry.field(description="The source video's asset.")
    async def asset(self, info: strawberry.Info) -> LazyAsset | None:
        return await resolve.asset(self, info)

    @strawberry.field(description="The source's state: empty (no video yet), uploading, processing, ready, failed.")
    async def status(self, info: strawberry.Info) -> str:
        return await resolve.status(self, info)

    @strawberry.field(description="The active segments in play order (orderIndex); empty until the source is probed.")
    async def timeline(self, info: strawberry.Info) -> list[TimelineSegment]:
        return await resolve.timeline(self, info)

    @strawberry.field(description="Seconds the timeline plays: the sum of its segments.")
    async def duration_s(self, info: strawberry.Info) -> float:
        return await resolve.duration(self, info)

"""Root fields of timeline exports: start one, read one, and the timeline as an interchange file."""
from __future__ import annotations

import strawberry

from resolvers.timeline_exports import mutations, queries
from schema.idempotency import idempotent_mutation
from schema.timeline_exports.inputs import ExportTimelineInput
from schema.timeline_exports.payloads import ExportTimelinePayload
from schema.timeline_exports.types import InterchangeFormat, TimelineExport, TimelineInterchange


@strawberry.type
class TimelineExportQuery:
    @strawberry.field(description="An export by its id (the export_job_id).")
    async def timeline_export(self, info: strawberry.Info, id: strawberry.ID) -> TimelineExport | None:
        return await queries.timeline_export(info, id)

    @strawberry.field(description="The project's active timeline as OpenTimelineIO JSON, a CMX 3600 EDL or FCPXML.")
    async def timeline_interchange(self, info: strawberry.Info, project_id: strawberry.ID,
                                   format: InterchangeFormat) -> TimelineInterchange | None:
        return await queries.interchange(info, project_id, format.value)


@strawberry.type
class TimelineExportMutation:
    @idempotent_mutation(description="Render the project's active timeline, as it is now, to one file (a "
                                     "TIMELINE_EXPORT job; poll timelineExport or follow jobUpdated).")
    async def export_timeline(self, info: strawberry.Info, input: ExportTimelineInput) -> ExportTimelinePayload:
        return await mutations.export_timeline(info, input)

"""Payload of the export mutation."""
from __future__ import annotations

import strawberry

from schema.common import UserError
from schema.timeline_exports.types import TimelineExport


@strawberry.type
class ExportTimelinePayload:
    errors: list[UserError]
    export: TimelineExport | None

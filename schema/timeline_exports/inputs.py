"""Inputs of the export mutation."""
from __future__ import annotations

import strawberry


@strawberry.input
class ExportTimelineInput:
    project_id: strawberry.ID
    format: str = strawberry.field(default="mp4", description="The file format; mp4 is the one supported (any other "
                                                              "answers VALIDATION_FAILED listing what is).")

"""Inputs of the editor mutations: projects, uploads, timeline edits, previews and colour grades."""
from __future__ import annotations

import strawberry

from domain.editor.grading import BY_NAME


def _control(name: str):
    c = BY_NAME[name]
    return strawberry.field(default=None, description=f"{c.low:g}..{c.high:g}, neutral {c.neutral:g}: {c.effect}.")


@strawberry.input
class CreateProjectInput:
    name: str
    description: str | None = None
    video_url: str | None = strawberry.field(default=None, description="Fetched by the server (guarded download) "
                                                                       "into the project's source asset, then probed.")


@strawberry.input
class ProjectUploadInput:
    project_id: strawberry.ID
    file_name: str
    content_type: str | None = None


@strawberry.input
class SplitSegmentInput:
    segment_id: strawberry.ID
    split_ts: float = strawberry.field(description="Source second strictly inside the segment.")


@strawberry.input
class TrimSegmentInput:
    segment_id: strawberry.ID
    new_start_ts: float | None = None
    new_end_ts: float | None = None


@strawberry.input(description="A colour grade; controls left out are neutral.")
class ColorGradeInput:
    segment_id: strawberry.ID
    brightness: float | None = _control("brightness")
    contrast: float | None = _control("contrast")
    saturation: float | None = _control("saturation")
    temperature: float | None = _control("temperature")
    gamma: float | None = _control("gamma")
    hue_shift: float | None = _control("hue_shift")
    wait: bool = strawberry.field(default=False, description="Answer once the grade has rendered (or failed); "
                                                             "bounded by EXPORT_WAIT_S.")


@strawberry.input
class PreviewFrameInput:
    project_id: strawberry.ID
    ts: float = strawberry.field(description="Timeline second (across segments).")


@strawberry.input
class PreviewStripInput:
    project_id: strawberry.ID
    start: float
    end: float
    fps: float = 1.0

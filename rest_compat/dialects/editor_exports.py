"""Editor dialect rows for exports: render the timeline to a file, and the timeline as OTIO / EDL / FCPXML."""
from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Response

from rest_compat.dialects.common import ERRORS, documented, lower
from rest_compat.table import Route

EXPORT = "id projectId format status progress error exportUrl downloadUrl durationS"
CREATED_MESSAGE = "Export job created — check status with get_export_status"
INTERCHANGE = {"otio": "OTIO", "edl": "EDL", "fcpxml": "FCPXML"}


class ExportBody(msgspec.Struct):
    project_id: str
    format: Annotated[str, documented(enum=["mp4"])] = "mp4"


class ExportCreated(msgspec.Struct):
    export_job_id: str
    status: Literal["pending", "running", "completed", "failed"]
    message: str


class ExportStatus(msgspec.Struct):
    export_job_id: str
    status: Literal["pending", "running", "completed", "failed"]
    export_url: str | None
    download_url: str | None
    error: str | None
    # beyond the document
    progress: int
    duration: float | None


def created_view(v: dict, call) -> dict:
    export = v["export"]
    return {"export_job_id": export["id"], "status": lower(export["status"]), "message": CREATED_MESSAGE}


def status_view(e: dict, call) -> dict:
    return {"export_job_id": e["id"], "status": lower(e["status"]), "export_url": e["exportUrl"],
            "download_url": e["downloadUrl"], "error": e["error"], "progress": e["progress"],
            "duration": e["durationS"]}


def file_view(v: dict, call) -> Response:
    # an interchange file is for another program: always a download, never sniffed as something else
    return Response(v["content"], media_type=v["contentType"],
                    headers={"Content-Disposition": f'attachment; filename="{v["filename"]}"',
                             "X-Content-Type-Options": "nosniff"})


def _interchange_row(suffix: str, what: str) -> Route:
    return Route("GET", f"/api/project/{{project_id}}/timeline.{suffix}",
                 f"query($id: ID!) {{ timelineInterchange(projectId: $id, format: {INTERCHANGE[suffix]}) "
                 "{ content contentType filename } }", "timelineInterchange", file_view, {"id": "path.project_id"}, documented=False,
                 summary=f"Beyond the document: the active timeline as {what}, written by OpenTimelineIO")


ROUTES = [
    Route("POST", "/api/export",
          f"mutation($input: ExportTimelineInput!) {{ exportTimeline(input: $input) {{ export {{ {EXPORT} }} "
          f"{ERRORS} }} }}", "exportTimeline", created_view,
          lambda c: {"input": {"projectId": c.body.project_id, "format": c.body.format}}, body=ExportBody,
          response=ExportCreated, payload=True,
          summary="Render the project's active timeline to one MP4 (a timeline_export job; poll "
                  "GET /api/export/{id})"),
    Route("GET", "/api/export/{export_job_id}", f"query($id: ID!) {{ timelineExport(id: $id) {{ {EXPORT} }} }}",
          "timelineExport", status_view, {"id": "path.export_job_id"}, response=ExportStatus,
          summary="An export's status; export_url (inline) and download_url (attachment) once completed"),
    _interchange_row("otio", "OpenTimelineIO JSON"),
    _interchange_row("edl", "a CMX 3600 EDL"),
    _interchange_row("fcpxml", "Final Cut Pro XML"),
]

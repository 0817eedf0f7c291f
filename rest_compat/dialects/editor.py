"""Video editor backend (`/api/...`): the document's bodies; errors as `{"detail", "code"}`."""
from __future__ import annotations

from typing import Annotated

import msgspec

from rest_compat.dialects import editor_exports, editor_variants
from rest_compat.dialects.common import ERRORS, URL, documented, lower
from rest_compat.dialects.editor_segments import SEGMENT, Segment, segment_view
from rest_compat.table import Dialect, Problem, Route


class Error(msgspec.Struct):
    detail: str
    code: str


class Health(msgspec.Struct):
    status: str
    storage: str
    broker: str


class Me(msgspec.Struct):
    id: str
    name: str
    is_admin: bool


def render_error(problem: Problem) -> dict:
    return {"detail": problem.message, "code": problem.code}


ROUTES = [
    Route("GET", "/api/health", "{ health { status storage broker } }", "health", lambda v, c: v, auth=False,
          response=Health, summary="Liveness (no key needed)"),
    Route("GET", "/api/me", "{ me { tenantId name isAdmin } }", "me",
          lambda v, c: {"id": v["tenantId"], "name": v["name"], "is_admin": v["isAdmin"]}, response=Me,
          summary="The authenticated user's profile"),
]

# ---------------------------------------------------------------- projects and timeline (H5)
PROJECT = f"id name description status assetId durationS createdAt updatedAt timeline {{ {SEGMENT} }}"


class ProjectOut(msgspec.Struct):
    id: str
    name: str
    description: str | None
    status: str
    asset_id: str | None
    duration: float
    created_at: str
    updated_at: str | None
    timeline: list[Segment]


class NewProject(msgspec.Struct):
    name: Annotated[str, documented(pattern=r"\S", maxLength=255)]
    description: str | None = None
    video_url: Annotated[str, URL] | None = None


class Deleted(msgspec.Struct):
    deleted: bool


class UploadBody(msgspec.Struct):
    file_name: Annotated[str, documented(pattern=r"\S", maxLength=200)]
    content_type: str | None = None


class Upload(msgspec.Struct):
    upload_url: str
    asset_id: str


class FrameBody(msgspec.Struct):
    ts: Annotated[float, documented(minimum=0)]


class Frame(msgspec.Struct):
    frame_url: str
    timestamp: float


class StripBody(msgspec.Struct):
    start: Annotated[float, documented(minimum=0)]
    end: float
    fps: Annotated[float, documented(exclusiveMinimum=0)] = 1.0


class Strip(msgspec.Struct):
    frames: list[Frame]


class SplitBody(msgspec.Struct):
    split_ts: float


class Split(msgspec.Struct):
    left: Segment
    right: Segment


class TrimBody(msgspec.Struct):
    new_start_ts: float | None = None
    new_end_ts: float | None = None


Unit = Annotated[float, documented(minimum=-1, maximum=1)]


class GradeBody(msgspec.Struct):
    """Six controls, neutral 0 (README "Colour grade ranges"): brightness, contrast, saturation, temperature, gamma
    in -1..1; hue_shift in degrees, -180..180."""

    brightness: Unit | None = None
    contrast: Unit | None = None
    saturation: Unit | None = None
    temperature: Unit | None = None
    gamma: Unit | None = None
    hue_shift: Annotated[float, documented(minimum=-180, maximum=180)] | None = None


class Graded(msgspec.Struct):
    segment_id: str | None
    graded_url: str | None
    job_id: str
    status: str
    error: str | None


class GradePreview(msgspec.Struct):
    preview_frame_url: str


def project_view(p: dict, call=None) -> dict:
    return {"id": p["id"], "name": p["name"], "description": p["description"], "status": p["status"],
            "asset_id": p["assetId"], "duration": p["durationS"], "created_at": p["createdAt"],
            "updated_at": p["updatedAt"], "timeline": [segment_view(s) for s in p["timeline"]]}


def graded_view(v: dict, call) -> dict:
    job, segment = v["job"], v.get("segment")
    return {"segment_id": segment["id"] if segment else None, "graded_url": segment["url"] if segment else None,
            "job_id": job["id"], "status": lower(job["status"]), "error": (job.get("error") or {}).get("message")}


def _grade_input(call) -> dict:
    body = {name: getattr(call.body, name) for name in GradeBody.__struct_fields__}
    return {"input": {"segmentId": call.path["segment_id"], "hueShift": body.pop("hue_shift"), **body, "wait": True}}


def _mutation(name: str, input_type: str, selection: str) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} {ERRORS} }} }}"


FRAMES = "frames { frameUrl timestamp }"


def _frames(v: dict) -> list[dict]:
    return [{"frame_url": f["frameUrl"], "timestamp": f["timestamp"]} for f in v["frames"]]


ROUTES += [
    Route("GET", "/api/project", f"{{ projects(first: 100) {{ edges {{ node {{ {PROJECT} }} }} }} }}", "projects",
          lambda v, c: [project_view(e["node"]) for e in v["edges"]], response=list[ProjectOut],
          summary="The user's projects, newest first (the latest 100)"),
    Route("POST", "/api/project", _mutation("createProject", "CreateProjectInput", f"project {{ {PROJECT} }}"),
          "createProject", lambda v, c: project_view(v["project"]),
          lambda c: {"input": {"name": c.body.name, "description": c.body.description, "videoUrl": c.body.video_url}},
          body=NewProject, response=ProjectOut, payload=True,
          summary="Create a project; video_url is fetched, probed and opens the timeline as one segment"),
    Route("GET", "/api/project/{project_id}", f"query($id: ID!) {{ project(id: $id) {{ {PROJECT} }} }}", "project",
          project_view, {"id": "path.project_id"}, response=ProjectOut,
          summary="A project with its timeline (active segments in order_index order)"),
    Route("DELETE", "/api/project/{project_id}", "mutation($id: ID!) { deleteProject(id: $id) { deletedId "
          f"{ERRORS} }} }}", "deleteProject", lambda v, c: {"deleted": True}, {"id": "path.project_id"},
          response=Deleted, payload=True, summary="Delete a project with its source video and every file made for it"),
    Route("POST", "/api/project/{project_id}/upload",
          _mutation("startProjectUpload", "ProjectUploadInput", "uploadUrl assetId"), "startProjectUpload",
          lambda v, c: {"upload_url": v["uploadUrl"], "asset_id": v["assetId"]},
          lambda c: {"input": {"projectId": c.path["project_id"], "fileName": c.body.file_name,
                               "contentType": c.body.content_type}},
          body=UploadBody, response=Upload, payload=True,
          summary="A signed URL to PUT the project's video to (one request); it is probed once it lands"),
    Route("POST", "/api/project/{project_id}/preview/frame", _mutation("previewFrame", "PreviewFrameInput", FRAMES),
          "previewFrame", lambda v, c: _frames(v)[0],
          lambda c: {"input": {"projectId": c.path["project_id"], "ts": c.body.ts}}, body=FrameBody, response=Frame,
          payload=True, summary="A JPEG of the timeline at timeline second ts, as a signed URL"),
    Route("POST", "/api/project/{project_id}/preview/strip", _mutation("previewStrip", "PreviewStripInput", FRAMES),
          "previewStrip", lambda v, c: {"frames": _frames(v)},
          lambda c: {"input": {"projectId": c.path["project_id"], "start": c.body.start, "end": c.body.end,
                               "fps": c.body.fps}}, body=StripBody, response=Strip, payload=True,
          summary="(end - start) * fps JPEGs of the timeline from start, 1/fps apart"),
    Route("POST", "/api/segment/{segment_id}/split",
          _mutation("splitSegment", "SplitSegmentInput", f"left {{ {SEGMENT} }} right {{ {SEGMENT} }}"),
          "splitSegment", lambda v, c: {"left": segment_view(v["left"]), "right": segment_view(v["right"])},
          lambda c: {"input": {"segmentId": c.path["segment_id"], "splitTs": c.body.split_ts}}, body=SplitBody,
          response=Split, payload=True, summary="Split at source second split_ts (strictly inside); the segment "
                                                 "is deactivated"),
    Route("POST", "/api/segment/{segment_id}/trim",
          _mutation("trimSegment", "TrimSegmentInput", f"segment {{ {SEGMENT} }}"), "trimSegment",
          lambda v, c: segment_view(v["segment"]),
          lambda c: {"input": {"segmentId": c.path["segment_id"], "newStartTs": c.body.new_start_ts,
                               "newEndTs": c.body.new_end_ts}}, body=TrimBody, response=Segment, payload=True,
          summary="Move the segment's ends within its original bounds"),
    Route("DELETE", "/api/segment/{segment_id}", "mutation($id: ID!) { deleteSegment(id: $id) { deletedId "
          f"{ERRORS} }} }}", "deleteSegment", lambda v, c: {"deleted": True}, {"id": "path.segment_id"},
          response=Deleted, payload=True, summary="Soft-delete a segment (it leaves the timeline)"),
    Route("POST", "/api/segment/{segment_id}/color-grade",
          _mutation("colorGradeSegment", "ColorGradeInput",
                    f"job {{ id status error {{ message }} }} segment {{ {SEGMENT} }}"),
          "colorGradeSegment", graded_view, _grade_input, body=GradeBody, response=Graded, payload=True,
          summary="Render the segment graded (a color_grade job) and put it on the timeline in its place; answers "
                  "once rendered (or with the job to poll when it takes longer than EXPORT_WAIT_S)"),
    Route("POST", "/api/segment/{segment_id}/grade-preview",
          _mutation("gradePreview", "ColorGradeInput", "previewFrameUrl"), "gradePreview",
          lambda v, c: {"preview_frame_url": v["previewFrameUrl"]}, _grade_input, body=GradeBody,
          response=GradePreview, payload=True, summary="One graded frame from the middle of the segment, now"),
]

ROUTES = ROUTES + editor_variants.ROUTES + editor_exports.ROUTES

DIALECT = Dialect(
    name="editor", title="Video editor backend", description="Editor backend API: projects, segments, generation, exports.",
    prefixes=(r"^/api/(?!v1/)",), routes=ROUTES, render_error=render_error, error_schema=Error,
)

"""MediaCopilot rows for branding media: overlays and intro/outro clips, with their multipart uploads."""
from __future__ import annotations

from typing import Literal

import msgspec

from rest_compat.dialects.common import ERRORS, FileName, Name, comma_list, given_fields, lower
from rest_compat.dialects.mediacopilot_templates import crud
from rest_compat.dialects.mediacopilot_uploads import FinishUpload, StartUpload, StartedUpload
from rest_compat.table import Problem, Route

MEDIA = "id kind name filename status size contentType width height durationMs hasAlpha hasAudio url createdAt error { code message }"


# ---------------------------------------------------------------- shapes
class MediaError(msgspec.Struct):
    code: str
    message: str


class BrandingMedia(msgspec.Struct):
    id: str
    name: str
    filename: str
    status: Literal["created", "uploading", "processing", "ready", "failed"]
    size: int | None
    content_type: str | None
    width: int | None
    height: int | None
    duration_ms: int | None
    has_alpha: bool | None
    has_audio: bool | None
    url: str | None
    error: MediaError | None
    created_at: str


class FinishedMediaUpload(BrandingMedia):
    upload_job_id: str | None = None


class MediaChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    filename: FileName | None = None


class UploadJob(msgspec.Struct):
    id: str
    status: Literal["queued", "running", "completed", "failed", "cancelled"]
    progress: int
    error: MediaError | None
    result: dict | None
    created_at: str
    completed_at: str | None


# ---------------------------------------------------------------- views
def media_view(m: dict, call=None) -> dict:
    error = m.get("error")
    return {"id": m["id"], "name": m["name"], "filename": m["filename"], "status": lower(m["status"]),
            "size": m["size"], "content_type": m["contentType"], "width": m["width"], "height": m["height"],
            "duration_ms": m["durationMs"], "has_alpha": m["hasAlpha"], "has_audio": m["hasAudio"], "url": m["url"],
            "error": {"code": error["code"], "message": error["message"]} if error else None,
            "created_at": m["createdAt"]}


def _media_input(kind: str):
    def build(body, ident=None) -> dict:
        return {"input": {"kind": kind.upper(), "id": ident, **given_fields(body, ("name", "filename"))}}

    return build


def upload_job_view(j: dict, call) -> dict | Problem:
    media_id = (j.get("input") or {}).get("media_id")
    param = next(p for p in ("overlay_id", "clip_id") if p in call.path)
    if media_id != call.path[param]:
        return Problem(404, "NOT_FOUND", f"upload job {j['id']} not found")
    error = j.get("error")
    return {"id": j["id"], "status": lower(j["status"]), "progress": j["progress"],
            "error": {"code": error["code"], "message": error["message"]} if error else None,
            "result": j.get("resultData"), "created_at": j["createdAt"], "completed_at": j.get("completedAt")}


def _upload_rows(path: str, param: str, kind: str, label: str) -> list[Route]:
    return [
        Route("POST", f"{path}/{{{param}}}/start_upload",
              f"""mutation($id: ID!, $parts: Int!) {{ startBrandingUpload(input: {{kind: {kind.upper()}, id: $id,
                parts: $parts}}) {{ uploadId expiresAt parts {{ partNumber url }} {ERRORS} }} }}""",
              "startBrandingUpload",
              lambda v, c: {"upload_id": v["uploadId"], "expires_at": v["expiresAt"],
                            "parts": [{"part_number": p["partNumber"], "url": p["url"]} for p in v["parts"]]},
              {"id": f"path.{param}", "parts": "body.parts"}, body=StartUpload, response=StartedUpload, payload=True,
              summary=f"Presigned URLs for the {label}'s file, one per part"),
        Route("POST", f"{path}/{{{param}}}/finish_upload",
              f"""mutation($id: ID!, $etags: [String!]!) {{ finishBrandingUpload(input: {{kind: {kind.upper()}, id: $id,
                etags: $etags}}) {{ media {{ {MEDIA} }} job {{ id }} {ERRORS} }} }}""",
              "finishBrandingUpload", lambda v, c: {**media_view(v["media"]), "upload_job_id": v["job"]["id"]},
              lambda c: {"id": c.path[param], "etags": comma_list(c.body.etags, positional=True)},
              body=FinishUpload, response=FinishedMediaUpload, payload=True,
              summary=f"Confirm the upload; a job validates the {label} by probing it"),
        Route("GET", f"{path}/{{{param}}}/upload_jobs/{{job_id}}",
              """query($id: ID!) { job(id: $id, kind: BRANDING_UPLOAD) { id status progress input resultData
                createdAt completedAt error { code message } } }""",
              "job", upload_job_view, {"id": "path.job_id"}, response=UploadJob,
              summary=f"The {label} upload's validation job"),
    ]


ROUTES = (
    crud("/v1/branding_overlays", "overlay_id", "branding overlay", one="brandingMedia", many="brandingMediaList",
         save="saveBrandingMedia", field="media", delete="deleteBrandingMedia", fields=MEDIA, view=media_view,
         response=BrandingMedia, create=MediaChange, change=MediaChange, to_input=_media_input("overlay"),
         input_type="BrandingMediaInput", kind="overlay")
    + _upload_rows("/v1/branding_overlays", "overlay_id", "overlay", "overlay")
    + crud("/v1/branding_clips", "clip_id", "branding clip", one="brandingMedia", many="brandingMediaList",
           save="saveBrandingMedia", field="media", delete="deleteBrandingMedia", fields=MEDIA, view=media_view,
           response=BrandingMedia, create=MediaChange, change=MediaChange, to_input=_media_input("clip"),
           input_type="BrandingMediaInput", kind="clip")
    + _upload_rows("/v1/branding_clips", "clip_id", "clip", "intro/outro clip")
)

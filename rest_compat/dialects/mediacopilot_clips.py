"""MediaCopilot rows for video clips (create, read, download, export) and the subtitle and metadata exports, which
share the export machinery (the storages they write to: mediacopilot_storages)."""
from __future__ import annotations

from typing import Literal

import msgspec

from rest_compat.dialects.common import ERRORS, Page, comma_list, connection_list, lower, page_variables
from rest_compat.downloads import clip_download
from rest_compat.table import Problem, Route

CLIP = """id assetId status startMs endMs startFrame endFrame aspectRatio autoframing brandingId subtitlesLanguageId
  withSoundDescriptions mode durationMs width height size url options createdAt error { code message } job { id }"""
JOB = "id kind status progress input resultData createdAt completedAt error { code message } asset { id }"
DOWNLOAD_JOB = JOB + " result { ... on ClipDownloadResult { file { url size } } }"


# ---------------------------------------------------------------- shapes
class ClipError(msgspec.Struct):
    code: str
    message: str


class VideoClip(msgspec.Struct):
    id: str
    asset_id: str
    status: Literal["queued", "rendering", "ready", "failed"]
    start_ms: int
    end_ms: int
    start_frame: int | None
    end_frame: int | None
    aspect_ratio_x: int | None
    aspect_ratio_y: int | None
    autoframing: bool
    branding_id: str | None
    subtitles_language_id: str | None
    with_sound_descriptions: bool
    mode: Literal["accurate", "fast"]
    duration_ms: int | None
    width: int | None
    height: int | None
    size: int | None
    url: str | None
    job_id: str | None
    options: dict
    error: ClipError | None
    created_at: str


class VideoClips(msgspec.Struct):
    video_clips: list[VideoClip]


class VideoClipList(msgspec.Struct):
    data: list[VideoClip]
    page: int
    items: int
    total: int


class ClipSpec(msgspec.Struct, forbid_unknown_fields=True):
    start_ms: int | None = None
    end_ms: int | None = None
    start_frame: int | None = None
    end_frame: int | None = None
    aspect_ratio_x: int | None = None
    aspect_ratio_y: int | None = None
    autoframing: bool = False
    branding_id: str | None = None
    subtitles_language_id: str | None = None
    with_sound_descriptions: bool = False
    mode: Literal["accurate", "fast"] = "accurate"


class CreateClips(msgspec.Struct, forbid_unknown_fields=True):
    video_clips: list[ClipSpec]


class ClipIds(msgspec.Struct, forbid_unknown_fields=True):
    video_clip_ids: list[str] | str


class ExportBody(msgspec.Struct, forbid_unknown_fields=True):
    external_storage_id: str


class Job(msgspec.Struct):
    id: str
    job_id: str  # the document's name (create-then-poll reads `job_id`), alongside `id`
    asset_id: str | None
    kind: str
    status: Literal["queued", "running", "completed", "failed", "cancelled"]
    progress: int
    error: ClipError | None
    result: dict | None
    download_url: str | None
    created_at: str
    completed_at: str | None


class Exported(msgspec.Struct):
    job_id: str
    status: Literal["completed"]
    external_storage_id: str
    type: str
    location: str
    key: str
    size: int
    written: bool


# ---------------------------------------------------------------- views
def clip_view(c: dict, call=None) -> dict:
    ratio = c["aspectRatio"]
    x, _, y = (ratio or "").partition(":")
    error = c.get("error")
    return {"id": c["id"], "asset_id": c["assetId"], "status": lower(c["status"]), "start_ms": c["startMs"],
            "end_ms": c["endMs"], "start_frame": c["startFrame"], "end_frame": c["endFrame"],
            "aspect_ratio_x": int(x) if ratio else None, "aspect_ratio_y": int(y) if ratio else None,
            "autoframing": c["autoframing"], "branding_id": c["brandingId"],
            "subtitles_language_id": c["subtitlesLanguageId"], "with_sound_descriptions": c["withSoundDescriptions"],
            "mode": lower(c["mode"]), "duration_ms": c["durationMs"], "width": c["width"], "height": c["height"],
            "size": c["size"], "url": c["url"], "job_id": (c.get("job") or {}).get("id"), "options": c["options"],
            "error": {"code": error["code"], "message": error["message"]} if error else None,
            "created_at": c["createdAt"]}


def job_view(j: dict, call=None) -> dict | Problem:
    asset_id = (j.get("asset") or {}).get("id")
    if call is not None and call.path.get("asset_id") not in (None, asset_id):
        return Problem(404, "NOT_FOUND", f"job {j['id']} not found")
    if call is not None and call.path.get("video_clip_id") not in (None, (j.get("input") or {}).get("clip_id")):
        return Problem(404, "NOT_FOUND", f"job {j['id']} not found")
    error = j.get("error")
    result = j.get("result") or {}
    return {"id": j["id"], "job_id": j["id"], "asset_id": asset_id, "kind": lower(j["kind"]),
            "status": lower(j["status"]), "progress": j["progress"],
            "error": {"code": error["code"], "message": error["message"]} if error else None,
            "result": j.get("resultData") if j["status"] == "COMPLETED" else None,
            "download_url": (result.get("file") or {}).get("url"), "created_at": j["createdAt"],
            "completed_at": j.get("completedAt")}


def exported_view(payload: dict, call) -> dict | Problem:
    job = payload["job"]
    error = job.get("error")
    if job["status"] != "COMPLETED":
        if error:
            return Problem(502 if error["code"] == "EXPORT_FAILED" else 422, error["code"], error["message"],
                           ["external_storage_id"] if error["code"] == "EXPORT_FAILED" else None)
        return Problem(504, "RESULT_NOT_READY", f"export job {job['id']} is still {lower(job['status'])}; "
                                                "poll it with the async export routes")
    result = job["resultData"]
    return {"job_id": job["id"], "status": "completed", "external_storage_id": result["external_storage_id"],
            "type": result["type"], "location": result["location"], "key": result["key"], "size": result["size"],
            "written": result["written"]}


def _clip_ids(call) -> list[str]:
    return comma_list(call.body.video_clip_ids) or []


def _clips_input(call) -> dict:
    return {"input": {"assetId": call.path["asset_id"], "clips": [
        {"startMs": c.start_ms, "endMs": c.end_ms, "startFrame": c.start_frame, "endFrame": c.end_frame,
         "aspectRatioX": c.aspect_ratio_x, "aspectRatioY": c.aspect_ratio_y, "autoframing": c.autoframing,
         "brandingId": c.branding_id, "subtitlesLanguageId": c.subtitles_language_id,
         "withSoundDescriptions": c.with_sound_descriptions, "mode": c.mode.upper()}
        for c in call.body.video_clips]}}


EXPORT = f"""mutation($input: ExportInput!) {{ export(input: $input) {{ job {{ {JOB} }} {ERRORS} }} }}"""


def _export_input(wait: bool, **extra):
    def bind(call) -> dict:
        values = {"assetId": call.path["asset_id"], "externalStorageId": call.body.external_storage_id, "wait": wait}
        for name, source in extra.items():
            values[name] = source(call) if callable(source) else call.path[source]
        return {"input": values}

    return bind


def _subtitle_export(fmt: str) -> Route:
    return Route("POST", f"/v1/assets/{{asset_id}}/transcriptions/{{transcription_id}}/{fmt}/export", EXPORT, "export",
                 exported_view, _export_input(True, transcriptionId="transcription_id",
                                              format=lambda c: fmt.upper()),
                 body=ExportBody, response=Exported, payload=True,
                 summary=f"Write the subtitles as {fmt.upper()} to an external storage")


ROUTES = [
    Route("POST", "/v1/assets/{asset_id}/video_clips",
          f"""mutation($input: CreateClipsInput!) {{ createClips(input: $input) {{ clips {{ {CLIP} }} {ERRORS} }} }}""",
          "createClips", lambda v, c: {"video_clips": [clip_view(i) for i in v["clips"]]}, _clips_input,
          body=CreateClips, response=VideoClips, status=201, payload=True,
          summary="Cut clips: all are validated before any is queued; each renders in one ffmpeg pass"),
    Route("GET", "/v1/assets/{asset_id}/video_clips",
          f"""query($a: ID!, $first: Int, $offset: Int!) {{ clips(assetId: $a, first: $first, offset: $offset) {{
            totalCount edges {{ node {{ {CLIP} }} }} }} }}""", "clips", connection_list(clip_view),
          lambda c: {"a": c.path["asset_id"], **page_variables(c)},
          query=Page, response=VideoClipList, summary="The asset's clips, newest first"),
    Route("GET", "/v1/assets/{asset_id}/video_clips/{video_id}",
          f"query($id: ID!, $a: ID!) {{ clip(id: $id, assetId: $a) {{ {CLIP} }} }}", "clip", clip_view,
          {"id": "path.video_id", "a": "path.asset_id"}, response=VideoClip, summary="A clip"),
    Route("POST", "/v1/assets/{asset_id}/video_clips/download",
          "query($a: ID!, $ids: [ID!]!) { readyClips(assetId: $a, clipIds: $ids) { id size } }", "readyClips",
          clip_download, lambda c: {"a": c.path["asset_id"], "ids": _clip_ids(c)}, body=ClipIds,
          summary="One clip: the mp4 itself; several: a zip, streamed as it is written"),
    Route("POST", "/v1/assets/{asset_id}/video_clips/download_async",
          f"""mutation($input: DownloadClipsInput!) {{ downloadClips(input: $input) {{ job {{ {DOWNLOAD_JOB} }}
            {ERRORS} }} }}""", "downloadClips", lambda v, c: job_view(v["job"]),
          lambda c: {"input": {"assetId": c.path["asset_id"], "clipIds": _clip_ids(c)}}, body=ClipIds, response=Job,
          status=201, payload=True, summary="Zip the clips in the background; poll for the signed download URL"),
    Route("GET", "/v1/assets/{asset_id}/video_clips/download_async/{job_id}",
          f"query($id: ID!) {{ job(id: $id, kind: CLIP_DOWNLOAD) {{ {DOWNLOAD_JOB} }} }}", "job", job_view,
          {"id": "path.job_id"}, response=Job, summary="The download job, with download_url once completed"),
    Route("POST", "/v1/assets/{asset_id}/video_clips/{video_clip_id}/export", EXPORT, "export", exported_view,
          _export_input(True, videoClipId="video_clip_id"), body=ExportBody, response=Exported, payload=True,
          summary="Write the clip to an external storage and answer when it is there"),
    Route("POST", "/v1/assets/{asset_id}/video_clips/{video_clip_id}/async_export", EXPORT, "export",
          lambda v, c: job_view(v["job"]), _export_input(False, videoClipId="video_clip_id"), body=ExportBody,
          response=Job, status=201, payload=True, summary="Queue the clip's export; poll its job"),
    Route("GET", "/v1/assets/{asset_id}/video_clips/{video_clip_id}/async_export/{job_id}",
          f"query($id: ID!) {{ job(id: $id, kind: EXPORT) {{ {JOB} }} }}", "job", job_view, {"id": "path.job_id"},
          response=Job, summary="The export job"),
    _subtitle_export("vtt"), _subtitle_export("srt"), _subtitle_export("stl"), _subtitle_export("json"),
    Route("POST", "/v1/assets/{asset_id}/metadata/{metadata_id}/json/export", EXPORT, "export", exported_view,
          _export_input(True, metadataId="metadata_id"), body=ExportBody, response=Exported, payload=True,
          summary="Write the metadata document as JSON to an external storage"),
]

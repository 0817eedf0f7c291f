"""MediaCopilot (`/v1/...`): plain snake_case JSON, page/items lists, `{"error": {code, message}}`."""
from __future__ import annotations

from typing import Literal

import msgspec

from rest_compat.dialects import (mediacopilot_analysis, mediacopilot_brandings, mediacopilot_clips, mediacopilot_jobs,
                                   mediacopilot_storages, mediacopilot_templates, mediacopilot_transcripts)
from rest_compat.dialects.mediacopilot_uploads import FinishUpload, StartAssetUpload, StartedUpload
from rest_compat.dialects.mediacopilot_search import ROUTES as SEARCH_ROUTES
from rest_compat.dialects import mediacopilot_collections, mediacopilot_usages, mediacopilot_views
from rest_compat.dialects.common import ASSET_FIELDS, TRACK_FIELDS, Page, comma_list, lower, page_variables, sliced
from rest_compat.dialects.common import FileName, any_case, folded
from rest_compat.table import Dialect, Problem, Route


# ---------------------------------------------------------------- shapes
class ErrorBody(msgspec.Struct):
    code: str
    message: str
    field: list[str] | None = None


class Error(msgspec.Struct):
    error: ErrorBody


class MediaInfo(msgspec.Struct):
    container: str | None
    bitrate: int | None
    width: int | None
    height: int | None
    frame_rate: float | None
    video_codec: str | None


class Asset(msgspec.Struct):
    id: str
    filename: str
    external_id: str | None
    status: Literal["uploading", "processing", "ready", "failed"]
    mc_model: Literal["normal", "turbo"]
    duration_ms: int | None
    size: int | None
    language_id: str | None
    collection_id: str | None
    template_id: str | None
    media: MediaInfo | None
    thumbnail_url: str | None
    waveform_url: str | None
    created_at: str
    asset_id: str  # the document's name ("POST /v1/assets returns an asset_id"), alongside `id`


class FinishedUpload(Asset):
    probe_job_id: str | None = None


class AssetList(msgspec.Struct):
    data: list[Asset]
    page: int
    items: int
    total: int


class DeletedAsset(msgspec.Struct):
    id: str
    deleted: bool


class AudioTrack(msgspec.Struct):
    id: str
    index: int
    codec: str | None
    language: str | None
    channels: int | None
    sample_rate: int | None
    duration_ms: int | None
    source: Literal["original", "voice_over"]


class AudioTrackList(msgspec.Struct):
    data: list[AudioTrack]
    page: int
    items: int
    total: int


class DownloadUrl(msgspec.Struct):
    download_url: str
    expires_in: int
    content_type: str


# ---------------------------------------------------------------- requests
class CreateAsset(msgspec.Struct, forbid_unknown_fields=True):
    filename: FileName
    template_id: str | None = None
    collection_id: str | None = None
    language_id: str | None = None
    external_id: str | None = None
    mc_model: Literal["normal", "turbo"] = "normal"


# Documented lowercase only (a generated client's enum has one member per value); any case is accepted.
Sentiment = any_case("negative", "neutral", "positive")


class AssetQuery(Page):
    collection_id: str | None = None
    language_id: str | None = None
    entities: str | None = None
    sentiment: Sentiment | None = None
    classification: str | None = None
    speakers: str | None = None
    view_id: str | None = None  # a saved view (our addition): its conditions, these parameters on top

    def __post_init__(self):
        super().__post_init__()
        self.sentiment = folded(self.sentiment, "sentiment", "negative", "neutral", "positive")


class Expiry(msgspec.Struct):
    expires_in: int = 3600


# ---------------------------------------------------------------- views
def asset(a: dict, call=None) -> dict:
    media = a.get("media")
    return {
        "id": a["id"], "filename": a["filename"], "external_id": a["externalId"], "status": lower(a["status"]),
        "mc_model": lower(a["mode"]), "duration_ms": a["durationMs"],
        "size": (a.get("original") or {}).get("size"),
        "language_id": a["languageId"], "collection_id": a["collectionId"], "template_id": a["templateId"],
        "media": None if media is None else {
            "container": media["container"], "bitrate": media["bitrate"], "width": media["width"],
            "height": media["height"], "frame_rate": media["frameRate"], "video_codec": media["videoCodec"]},
        "thumbnail_url": (a.get("thumbnail") or {}).get("url"), "waveform_url": (a.get("waveform") or {}).get("url"),
        "created_at": a["createdAt"], "asset_id": a["id"],
    }


def asset_list(conn: dict, call) -> dict:
    return {"data": [asset(e["node"]) for e in conn["edges"]], "page": call.query.page, "items": call.query.items,
            "total": conn["totalCount"]}


def track(t: dict, call=None) -> dict:
    return {"id": t["id"], "index": t["index"], "codec": t["codec"], "language": t["language"],
            "channels": t["channels"], "sample_rate": t["sampleRate"], "duration_ms": t["durationMs"],
            "source": lower(t["source"])}


def track_list(a: dict, call) -> dict:
    tracks = a["audioTracks"]
    return {"data": [track(t) for t in sliced(tracks, call.query)], "page": call.query.page,
            "items": call.query.items, "total": len(tracks)}


def download_url(t: dict, call) -> dict:
    if not t.get("file"):
        return Problem(404, "NOT_FOUND", "this audio track has no file to download")
    return {"download_url": t["file"]["url"], "expires_in": call.query.expires_in, "content_type": t["file"]["contentType"]}


def render_error(problem: Problem) -> dict:
    body = {"code": problem.code, "message": problem.message}
    if problem.field:
        body["field"] = problem.field
    return {"error": body}


# ---------------------------------------------------------------- rows
def _create_vars(call) -> dict:
    b = call.body
    return {"input": {"filename": b.filename, "externalId": b.external_id, "languageId": b.language_id,
                      "collectionId": b.collection_id, "templateId": b.template_id, "mode": b.mc_model.upper()}}


def _list_vars(call) -> dict:
    q = call.query
    return {**page_variables(call), "view": q.view_id or None, "filter": {
        "collectionId": q.collection_id, "languageId": q.language_id, "sentiment": q.sentiment,
        "classification": q.classification,
        "entities": comma_list(q.entities), "speakers": comma_list(q.speakers)}}


ROUTES = [
    Route("POST", "/v1/assets", f"""mutation($input: CreateAssetInput!) {{ createAsset(input: $input) {{
            asset {{ {ASSET_FIELDS} }} errors {{ field code message }} }} }}""",
          "createAsset", lambda v, c: asset(v["asset"]), _create_vars, body=CreateAsset, response=Asset, status=201,
          payload=True, summary="Create an asset (then start_upload)"),
    Route("GET", "/v1/assets", f"""query($first: Int, $offset: Int!, $filter: AssetFilter, $view: ID) {{
            assets(first: $first, offset: $offset, filter: $filter, view: $view) {{ totalCount edges {{ node {{ {ASSET_FIELDS} }} }} }} }}""",
          "assets", asset_list, _list_vars, query=AssetQuery, response=AssetList, summary="List assets"),
    Route("GET", "/v1/assets/{asset_id}", f"query($id: ID!) {{ asset(id: $id) {{ {ASSET_FIELDS} }} }}",
          "asset", asset, {"id": "path.asset_id"}, response=Asset, summary="Get an asset"),
    Route("DELETE", "/v1/assets/{asset_id}",
          "mutation($id: ID!) { deleteAsset(input: {id: $id}) { deletedId errors { field code message } } }",
          "deleteAsset", lambda v, c: {"id": v["deletedId"], "deleted": True}, {"id": "path.asset_id"},
          response=DeletedAsset, payload=True, summary="Delete an asset and its files"),
    Route("GET", "/v1/external/assets/{external_id}",
          f"query($ext: String!) {{ assetByExternalId(externalId: $ext) {{ {ASSET_FIELDS} }} }}",
          "assetByExternalId", asset, {"ext": "path.external_id"}, response=Asset, summary="Get an asset by your id"),
    Route("POST", "/v1/assets/{asset_id}/start_upload",
          """mutation($id: ID!, $parts: Int!, $size: ByteSize) {
            startUpload(input: {assetId: $id, parts: $parts, size: $size}) {
            uploadId expiresAt parts { partNumber url } errors { field code message } } }""",
          "startUpload",
          lambda v, c: {"upload_id": v["uploadId"], "expires_at": v["expiresAt"],
                        "parts": [{"part_number": p["partNumber"], "url": p["url"]} for p in v["parts"]]},
          {"id": "path.asset_id", "parts": "body.parts", "size": "body.size"}, body=StartAssetUpload,
          response=StartedUpload, payload=True,
          summary="Presigned URLs, one per part: PUT each part and keep its ETag header"),
    Route("POST", "/v1/assets/{asset_id}/finish_upload",
          f"""mutation($id: ID!, $etags: [String!]!) {{ finishUpload(input: {{assetId: $id, etags: $etags}}) {{
            asset {{ {ASSET_FIELDS} }} job {{ id }} errors {{ field code message }} }} }}""",
          "finishUpload", lambda v, c: {**asset(v["asset"]), "probe_job_id": v["job"]["id"]},
          lambda c: {"id": c.path["asset_id"], "etags": comma_list(c.body.etags, positional=True)},
          body=FinishUpload, response=FinishedUpload, payload=True,
          summary="Confirm the upload with the parts' ETags (a list, or one comma-separated string)"),
    Route("GET", "/v1/assets/{asset_id}/audio_tracks",
          f"query($id: ID!) {{ asset(id: $id) {{ audioTracks {{ {TRACK_FIELDS} }} }} }}",
          "asset", track_list, {"id": "path.asset_id"}, query=Page, response=AudioTrackList, summary="List audio tracks"),
    Route("GET", "/v1/assets/{asset_id}/audio_tracks/{audio_track_id}",
          f"query($a: ID!, $t: ID!) {{ audioTrack(assetId: $a, id: $t) {{ {TRACK_FIELDS} }} }}",
          "audioTrack", track, {"a": "path.asset_id", "t": "path.audio_track_id"}, response=AudioTrack,
          summary="Get an audio track"),
    Route("GET", "/v1/assets/{asset_id}/audio_tracks/{audio_track_id}/download_url",
          """query($a: ID!, $t: ID!, $exp: Int!) { audioTrack(assetId: $a, id: $t) {
            file { url(expiresIn: $exp) contentType } } }""",
          "audioTrack", download_url, {"a": "path.asset_id", "t": "path.audio_track_id", "exp": "query.expires_in"},
          query=Expiry, response=DownloadUrl, summary="Signed, expiring URL of the track's audio file"),
]

DIALECT = Dialect(
    name="mediacopilot", title="MediaCopilot", description="MediaCopilot API, served by Mediagraph.",
    prefixes=(r"^/v1/(?!transcriptions|translations|video-analyses|providers)",),
    routes=ROUTES + mediacopilot_transcripts.ROUTES + mediacopilot_templates.ROUTES + mediacopilot_jobs.ROUTES
    + mediacopilot_analysis.ROUTES + mediacopilot_brandings.ROUTES + mediacopilot_clips.ROUTES
    + mediacopilot_storages.ROUTES
    + SEARCH_ROUTES
    + mediacopilot_collections.ROUTES + mediacopilot_views.ROUTES + mediacopilot_usages.ROUTES,
    render_error=render_error, error_schema=Error,
)

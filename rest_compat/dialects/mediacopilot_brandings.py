"""MediaCopilot rows for brandings, their variants, overlays, intro/outro clips (with uploads) and subtitle styles."""
from __future__ import annotations

from typing import Literal

import msgspec

from rest_compat.dialects.common import Page, lower
from rest_compat.dialects.mediacopilot_templates import Deleted, crud
from rest_compat.dialects.mediacopilot_uploads import FinishUpload, StartUpload, StartedUpload
from rest_compat.table import Problem, Route

ERRORS = "errors { field code message }"
STYLE = """id name fontFamily textColor fontSizePx fontWeight lineHeight verticalPositionPct shadowBlur shadowColor
  shadowOpacityPct shadowOffsetXPx shadowOffsetYPx backgroundColor backgroundOpacity strokeColor strokeThicknessPx
  createdAt"""
MEDIA = "id kind name filename status size contentType width height durationMs hasAlpha hasAudio url createdAt error { code message }"
VARIANT = "id brandingId aspectRatio overlayId introId outroId overlayPosition overlayWidthPct overlayMarginPct overlayOpacity createdAt"
BRANDING = f"id name subtitleStyleId createdAt variants {{ {VARIANT} }}"
STYLE_FIELDS = ("name", "font_family", "text_color", "font_size_px", "font_weight", "line_height",
                "vertical_position_pct", "shadow_blur", "shadow_color", "shadow_opacity_pct", "shadow_offset_x_px",
                "shadow_offset_y_px", "background_color", "background_opacity", "stroke_color", "stroke_thickness_px")
Ratio = Literal["9:16", "1:1", "4:5", "16:9", "4:3", "3:4"]
Position = Literal["top_left", "top_right", "bottom_left", "bottom_right", "center", "full"]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


# ---------------------------------------------------------------- shapes
class SubtitleStyle(msgspec.Struct):
    id: str
    name: str
    font_family: str
    text_color: str
    font_size_px: int
    font_weight: int
    line_height: float
    vertical_position_pct: float
    shadow_blur: float
    shadow_color: str | None
    shadow_opacity_pct: float
    shadow_offset_x_px: int
    shadow_offset_y_px: int
    background_color: str | None
    background_opacity: float
    stroke_color: str
    stroke_thickness_px: int
    created_at: str


class StyleChange(msgspec.Struct, forbid_unknown_fields=True):
    name: str | None = None
    font_family: str | None = None
    text_color: str | None = None
    font_size_px: int | None = None
    font_weight: int | None = None
    line_height: float | None = None
    vertical_position_pct: float | None = None
    shadow_blur: float | None = None
    shadow_color: str | None = None
    shadow_opacity_pct: float | None = None
    shadow_offset_x_px: int | None = None
    shadow_offset_y_px: int | None = None
    background_color: str | None = None
    background_opacity: float | None = None
    stroke_color: str | None = None
    stroke_thickness_px: int | None = None


class StyleCreate(StyleChange, forbid_unknown_fields=True):
    name: str = ""
    font_family: str = ""
    text_color: str = ""

    def __post_init__(self):
        for required in ("name", "font_family", "text_color"):
            if not getattr(self, required):
                raise msgspec.ValidationError(f"Object missing required field `{required}`")


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
    name: str | None = None
    filename: str | None = None


class UploadJob(msgspec.Struct):
    id: str
    status: Literal["queued", "running", "completed", "failed", "cancelled"]
    progress: int
    error: MediaError | None
    result: dict | None
    created_at: str
    completed_at: str | None


class Variant(msgspec.Struct):
    id: str
    branding_id: str
    aspect_ratio: str
    overlay_id: str | None
    intro_id: str | None
    outro_id: str | None
    overlay_position: str
    overlay_width_pct: float
    overlay_margin_pct: float
    overlay_opacity: float
    created_at: str


class VariantChange(msgspec.Struct, forbid_unknown_fields=True):
    aspect_ratio: Ratio | None = None
    overlay_id: str | None = None
    intro_id: str | None = None
    outro_id: str | None = None
    overlay_position: Position | None = None
    overlay_width_pct: float | None = None
    overlay_margin_pct: float | None = None
    overlay_opacity: float | None = None


class VariantCreate(VariantChange, forbid_unknown_fields=True):
    aspect_ratio: Ratio | None = None

    def __post_init__(self):
        if self.aspect_ratio is None:
            raise msgspec.ValidationError("Object missing required field `aspect_ratio`")


class VariantList(msgspec.Struct):
    data: list[Variant]
    page: int
    items: int
    total: int


class Branding(msgspec.Struct):
    id: str
    name: str
    subtitle_style_id: str | None
    variants: list[Variant]
    created_at: str


class BrandingChange(msgspec.Struct, forbid_unknown_fields=True):
    name: str | None = None
    subtitle_style_id: str | None = None


class BrandingCreate(BrandingChange, forbid_unknown_fields=True):
    name: str = ""

    def __post_init__(self):
        if not self.name:
            raise msgspec.ValidationError("Object missing required field `name`")


# ---------------------------------------------------------------- views
def style_view(s: dict, call=None) -> dict:
    return {name: s[_camel(name)] for name in STYLE_FIELDS} | {"id": s["id"], "created_at": s["createdAt"]}


def media_view(m: dict, call=None) -> dict:
    error = m.get("error")
    return {"id": m["id"], "name": m["name"], "filename": m["filename"], "status": lower(m["status"]),
            "size": m["size"], "content_type": m["contentType"], "width": m["width"], "height": m["height"],
            "duration_ms": m["durationMs"], "has_alpha": m["hasAlpha"], "has_audio": m["hasAudio"], "url": m["url"],
            "error": {"code": error["code"], "message": error["message"]} if error else None,
            "created_at": m["createdAt"]}


def variant_view(v: dict, call=None) -> dict:
    return {"id": v["id"], "branding_id": v["brandingId"], "aspect_ratio": v["aspectRatio"],
            "overlay_id": v["overlayId"], "intro_id": v["introId"], "outro_id": v["outroId"],
            "overlay_position": v["overlayPosition"], "overlay_width_pct": v["overlayWidthPct"],
            "overlay_margin_pct": v["overlayMarginPct"], "overlay_opacity": v["overlayOpacity"],
            "created_at": v["createdAt"]}


def branding_view(b: dict, call=None) -> dict:
    return {"id": b["id"], "name": b["name"], "subtitle_style_id": b["subtitleStyleId"],
            "variants": [variant_view(v) for v in b["variants"]], "created_at": b["createdAt"]}


def _fields(body, names) -> dict:
    return {_camel(n): getattr(body, n) for n in names if getattr(body, n, None) is not None}


def _style_input(body, ident=None) -> dict:
    return {"input": {"id": ident, **_fields(body, STYLE_FIELDS)}}


def _media_input(kind: str):
    def build(body, ident=None) -> dict:
        return {"input": {"kind": kind.upper(), "id": ident, **_fields(body, ("name", "filename"))}}

    return build


def _branding_input(body, ident=None) -> dict:
    return {"input": {"id": ident, **_fields(body, ("name", "subtitle_style_id"))}}


VARIANT_FIELDS = ("aspect_ratio", "overlay_id", "intro_id", "outro_id", "overlay_position", "overlay_width_pct",
                  "overlay_margin_pct", "overlay_opacity")


def _variant_input(call) -> dict:
    return {"input": {"brandingId": call.path["branding_id"], "id": call.path.get("variant_id"),
                      **_fields(call.body, VARIANT_FIELDS)}}


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
              lambda c: {"id": c.path[param],
                         "etags": c.body.etags.split(",") if isinstance(c.body.etags, str) else c.body.etags},
              body=FinishUpload, response=FinishedMediaUpload, payload=True,
              summary=f"Confirm the upload; a job validates the {label} by probing it"),
        Route("GET", f"{path}/{{{param}}}/upload_jobs/{{job_id}}",
              """query($id: ID!) { job(id: $id, kind: BRANDING_UPLOAD) { id status progress input resultData
                createdAt completedAt error { code message } } }""",
              "job", upload_job_view, {"id": "path.job_id"}, response=UploadJob,
              summary=f"The {label} upload's validation job"),
    ]


VARIANT_SAVE = f"""mutation($input: BrandingVariantInput!) {{ saveBrandingVariant(input: $input) {{
    variant {{ {VARIANT} }} {ERRORS} }} }}"""

ROUTES = (
    crud("/v1/branding_subtitle_styles", "style_id", "subtitle style", one="subtitleStyle", many="subtitleStyles",
         save="saveSubtitleStyle", field="subtitleStyle", delete="deleteSubtitleStyle", fields=STYLE, view=style_view,
         response=SubtitleStyle, create=StyleCreate, change=StyleChange, to_input=_style_input,
         input_type="SubtitleStyleInput")
    + crud("/v1/branding_overlays", "overlay_id", "branding overlay", one="brandingMedia", many="brandingMediaList",
           save="saveBrandingMedia", field="media", delete="deleteBrandingMedia", fields=MEDIA, view=media_view,
           response=BrandingMedia, create=MediaChange, change=MediaChange, to_input=_media_input("overlay"),
           input_type="BrandingMediaInput", kind="overlay")
    + _upload_rows("/v1/branding_overlays", "overlay_id", "overlay", "overlay")
    + crud("/v1/branding_clips", "clip_id", "branding clip", one="brandingMedia", many="brandingMediaList",
           save="saveBrandingMedia", field="media", delete="deleteBrandingMedia", fields=MEDIA, view=media_view,
           response=BrandingMedia, create=MediaChange, change=MediaChange, to_input=_media_input("clip"),
           input_type="BrandingMediaInput", kind="clip")
    + _upload_rows("/v1/branding_clips", "clip_id", "clip", "intro/outro clip")
    + crud("/v1/brandings", "branding_id", "branding", one="branding", many="brandings", save="saveBranding",
           field="branding", delete="deleteBranding", fields=BRANDING, view=branding_view, response=Branding,
           create=BrandingCreate, change=BrandingChange, to_input=_branding_input, input_type="BrandingInput")
    + [
        Route("POST", "/v1/brandings/{branding_id}/variants", VARIANT_SAVE, "saveBrandingVariant",
              lambda v, c: variant_view(v["variant"]), _variant_input, body=VariantCreate, response=Variant,
              status=201, payload=True, summary="Add a variant for one aspect ratio (one per ratio)"),
        Route("GET", "/v1/brandings/{branding_id}/variants",
              f"""query($b: ID!, $first: Int, $offset: Int!) {{ brandingVariants(brandingId: $b, first: $first,
                offset: $offset) {{ total items {{ {VARIANT} }} }} }}""", "brandingVariants",
              lambda v, c: {"data": [variant_view(i) for i in v["items"]], "page": c.query.page,
                            "items": c.query.items, "total": v["total"]},
              lambda c: {"b": c.path["branding_id"], "first": c.query.items,
                         "offset": (c.query.page - 1) * c.query.items},
              query=Page, response=VariantList, summary="List a branding's variants"),
        Route("GET", "/v1/brandings/{branding_id}/variants/{variant_id}",
              f"query($b: ID!, $id: ID!) {{ brandingVariant(brandingId: $b, id: $id) {{ {VARIANT} }} }}",
              "brandingVariant", variant_view, {"b": "path.branding_id", "id": "path.variant_id"}, response=Variant,
              summary="Get a variant"),
        Route("PATCH", "/v1/brandings/{branding_id}/variants/{variant_id}", VARIANT_SAVE, "saveBrandingVariant",
              lambda v, c: variant_view(v["variant"]), _variant_input, body=VariantChange, response=Variant,
              payload=True, summary="Update a variant"),
        Route("DELETE", "/v1/brandings/{branding_id}/variants/{variant_id}",
              f"""mutation($b: ID!, $id: ID!) {{ deleteBrandingVariant(brandingId: $b, id: $id) {{ deletedId
                {ERRORS} }} }}""", "deleteBrandingVariant", lambda v, c: {"id": v["deletedId"], "deleted": True},
              {"b": "path.branding_id", "id": "path.variant_id"}, response=Deleted, payload=True,
              summary="Delete a variant"),
    ]
)

"""MediaCopilot rows for subtitle styles, brandings and their variants (branding media: mediacopilot_branding_media)."""
from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from rest_compat.dialects import mediacopilot_branding_media
from rest_compat.dialects.common import (ERRORS, Name, Page, camel, connection_list, documented, given_fields,
                                         page_variables)
from rest_compat.dialects.mediacopilot_templates import Deleted, crud
from rest_compat.table import Route

STYLE = """id name fontFamily textColor fontSizePx fontWeight lineHeight verticalPositionPct shadowBlur shadowColor
  shadowOpacityPct shadowOffsetXPx shadowOffsetYPx backgroundColor backgroundOpacity strokeColor strokeThicknessPx
  createdAt"""
VARIANT = "id brandingId aspectRatio overlayId introId outroId overlayPosition overlayWidthPct overlayMarginPct overlayOpacity createdAt"
BRANDING = f"id name subtitleStyleId createdAt variants {{ {VARIANT} }}"
STYLE_FIELDS = ("name", "font_family", "text_color", "font_size_px", "font_weight", "line_height",
                "vertical_position_pct", "shadow_blur", "shadow_color", "shadow_opacity_pct", "shadow_offset_x_px",
                "shadow_offset_y_px", "background_color", "background_opacity", "stroke_color", "stroke_thickness_px")
Ratio = Literal["9:16", "1:1", "4:5", "16:9", "4:3", "3:4"]
Position = Literal["top_left", "top_right", "bottom_left", "bottom_right", "center", "full"]


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


# What the service checks (domain/brandings/service.py STYLE_NUMBERS, HEX), declared for clients.
Colour = Annotated[str, documented(pattern=r"^\s*#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$")]
FontFamily = Annotated[str, documented(pattern=r"\S", description="an installed font family (fc-list)")]


class StyleChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    font_family: FontFamily | None = None
    text_color: Colour | None = None
    font_size_px: Annotated[int, documented(minimum=6, maximum=400)] | None = None
    font_weight: Annotated[int, documented(minimum=100, maximum=900)] | None = None
    line_height: Annotated[float, documented(minimum=0.5, maximum=4.0)] | None = None
    vertical_position_pct: Annotated[float, documented(minimum=0.0, maximum=1.0)] | None = None
    shadow_blur: Annotated[float, documented(minimum=0.0, maximum=50.0)] | None = None
    shadow_color: Colour | None = None
    shadow_opacity_pct: Annotated[float, documented(minimum=0.0, maximum=1.0)] | None = None
    shadow_offset_x_px: Annotated[int, documented(minimum=-100, maximum=100)] | None = None
    shadow_offset_y_px: Annotated[int, documented(minimum=-100, maximum=100)] | None = None
    background_color: Colour | None = None
    background_opacity: Annotated[float, documented(minimum=0.0, maximum=1.0)] | None = None
    stroke_color: Colour | None = None
    stroke_thickness_px: Annotated[int, documented(minimum=0, maximum=50)] | None = None


class StyleCreate(StyleChange, forbid_unknown_fields=True, kw_only=True):
    name: Name
    font_family: FontFamily
    text_color: Colour

    def __post_init__(self):
        for required in ("name", "font_family", "text_color"):
            if not getattr(self, required):
                raise msgspec.ValidationError(f"Object missing required field `{required}`")


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
    overlay_width_pct: Annotated[float, documented(minimum=0.01, maximum=1.0)] | None = None
    overlay_margin_pct: Annotated[float, documented(minimum=0.0, maximum=0.4)] | None = None
    overlay_opacity: Annotated[float, documented(minimum=0.0, maximum=1.0)] | None = None


class VariantCreate(VariantChange, forbid_unknown_fields=True, kw_only=True):
    aspect_ratio: Ratio

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
    name: Name | None = None
    subtitle_style_id: str | None = None


class BrandingCreate(BrandingChange, forbid_unknown_fields=True, kw_only=True):
    name: Name

    def __post_init__(self):
        if not self.name:
            raise msgspec.ValidationError("Object missing required field `name`")


# ---------------------------------------------------------------- views
def style_view(s: dict, call=None) -> dict:
    return {name: s[camel(name)] for name in STYLE_FIELDS} | {"id": s["id"], "created_at": s["createdAt"]}


def variant_view(v: dict, call=None) -> dict:
    return {"id": v["id"], "branding_id": v["brandingId"], "aspect_ratio": v["aspectRatio"],
            "overlay_id": v["overlayId"], "intro_id": v["introId"], "outro_id": v["outroId"],
            "overlay_position": v["overlayPosition"], "overlay_width_pct": v["overlayWidthPct"],
            "overlay_margin_pct": v["overlayMarginPct"], "overlay_opacity": v["overlayOpacity"],
            "created_at": v["createdAt"]}


def branding_view(b: dict, call=None) -> dict:
    return {"id": b["id"], "name": b["name"], "subtitle_style_id": b["subtitleStyleId"],
            "variants": [variant_view(v) for v in b["variants"]], "created_at": b["createdAt"]}


def _style_input(body, ident=None) -> dict:
    return {"input": {"id": ident, **given_fields(body, STYLE_FIELDS)}}


def _branding_input(body, ident=None) -> dict:
    return {"input": {"id": ident, **given_fields(body, ("name", "subtitle_style_id"))}}


VARIANT_FIELDS = ("aspect_ratio", "overlay_id", "intro_id", "outro_id", "overlay_position", "overlay_width_pct",
                  "overlay_margin_pct", "overlay_opacity")


def _variant_input(call) -> dict:
    return {"input": {"brandingId": call.path["branding_id"], "id": call.path.get("variant_id"),
                      **given_fields(call.body, VARIANT_FIELDS)}}


VARIANT_SAVE = f"""mutation($input: BrandingVariantInput!) {{ saveBrandingVariant(input: $input) {{
    variant {{ {VARIANT} }} {ERRORS} }} }}"""

ROUTES = (
    crud("/v1/branding_subtitle_styles", "style_id", "subtitle style", one="subtitleStyle", many="subtitleStyles",
         save="saveSubtitleStyle", field="subtitleStyle", delete="deleteSubtitleStyle", fields=STYLE, view=style_view,
         response=SubtitleStyle, create=StyleCreate, change=StyleChange, to_input=_style_input,
         input_type="SubtitleStyleInput")
    + mediacopilot_branding_media.ROUTES
    + crud("/v1/brandings", "branding_id", "branding", one="branding", many="brandings", save="saveBranding",
           field="branding", delete="deleteBranding", fields=BRANDING, view=branding_view, response=Branding,
           create=BrandingCreate, change=BrandingChange, to_input=_branding_input, input_type="BrandingInput")
    + [
        Route("POST", "/v1/brandings/{branding_id}/variants", VARIANT_SAVE, "saveBrandingVariant",
              lambda v, c: variant_view(v["variant"]), _variant_input, body=VariantCreate, response=Variant,
              status=201, payload=True, summary="Add a variant for one aspect ratio (one per ratio)"),
        Route("GET", "/v1/brandings/{branding_id}/variants",
              f"""query($b: ID!, $first: Int, $offset: Int!) {{ brandingVariants(brandingId: $b, first: $first,
                offset: $offset) {{ totalCount edges {{ node {{ {VARIANT} }} }} }} }}""", "brandingVariants",
              connection_list(variant_view), lambda c: {"b": c.path["branding_id"], **page_variables(c)},
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

"""Inputs of the branding mutations."""
from __future__ import annotations

import strawberry

from schema.brandings.types import BrandingMediaKind


@strawberry.input
class SubtitleStyleInput:
    id: strawberry.ID | None = strawberry.field(default=None, description="Set to update; omit to create.")
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


@strawberry.input
class BrandingMediaInput:
    kind: BrandingMediaKind
    id: strawberry.ID | None = None
    name: str | None = None
    filename: str | None = None


@strawberry.input
class BrandingUploadInput:
    kind: BrandingMediaKind
    id: strawberry.ID
    parts: int = 1


@strawberry.input
class FinishBrandingUploadInput:
    kind: BrandingMediaKind
    id: strawberry.ID
    etags: list[str]


@strawberry.input
class BrandingInput:
    id: strawberry.ID | None = None
    name: str | None = None
    subtitle_style_id: strawberry.ID | None = strawberry.field(default=None, description='"" removes the style.')


@strawberry.input
class BrandingVariantInput:
    branding_id: strawberry.ID
    id: strawberry.ID | None = None
    aspect_ratio: str | None = strawberry.field(default=None, description="9:16, 1:1, 4:5, 16:9, 4:3 or 3:4")
    overlay_id: strawberry.ID | None = None
    intro_id: strawberry.ID | None = None
    outro_id: strawberry.ID | None = None
    overlay_position: str | None = strawberry.field(
        default=None, description="top_left, top_right (default), bottom_left, bottom_right, center or full")
    overlay_width_pct: float | None = strawberry.field(default=None, description="Share of the output width (0.2).")
    overlay_margin_pct: float | None = strawberry.field(default=None,
                                                        description="Share of the output's short side (0.04).")
    overlay_opacity: float | None = None

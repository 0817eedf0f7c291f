"""SubtitleStyle, BrandingMedia (overlays and intro/outro clips), Branding and BrandingVariant, inputs and payloads."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import strawberry

from domain.brandings import models
from resolvers import brandings as resolve
from schema.assets.payloads import UploadPart
from schema.common import Node, UserError, model_check


def _id(value) -> strawberry.ID | None:
    return strawberry.ID(str(value)) if value else None


@strawberry.enum
class BrandingMediaKind(enum.Enum):
    OVERLAY = "overlay"
    CLIP = "clip"


@strawberry.enum
class BrandingMediaStatus(enum.Enum):
    CREATED = "created"
    UPLOADING = "uploading"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


@strawberry.type
class MediaError:
    code: str
    message: str


@strawberry.type(description="Subtitle styling for burned-in subtitles; sizes are pixels on a 1080-line frame, "
                             "scaled to the clip's short side.")
class SubtitleStyle(Node):
    is_type_of = model_check(models.SubtitleStyle)
    name: str
    font_family: str
    text_color: str
    font_size_px: int
    font_weight: int
    line_height: float
    vertical_position_pct: float = strawberry.field(description="Distance from the bottom, as a share of the height.")
    shadow_blur: float
    shadow_color: str | None
    shadow_opacity_pct: float
    shadow_offset_x_px: int
    shadow_offset_y_px: int
    background_color: str | None
    background_opacity: float
    stroke_color: str
    stroke_thickness_px: int
    created_at: datetime


@strawberry.type(description="An overlay image (PNG/WebP, alpha kept) or an intro/outro video, uploaded like an asset "
                             "and validated by probing.")
class BrandingMedia(Node):
    is_type_of = model_check(models.BrandingMedia)
    kind: BrandingMediaKind
    name: str
    filename: str
    status: BrandingMediaStatus
    size: int | None
    content_type: str | None
    width: int | None
    height: int | None
    duration_ms: int | None
    has_alpha: bool | None
    has_audio: bool | None
    created_at: datetime

    @strawberry.field
    def error(self) -> MediaError | None:
        return MediaError(code=self.error_code, message=self.error_message) if self.error_code else None

    @strawberry.field(description="Signed, expiring URL of the validated file.")
    async def url(self, info: strawberry.Info, expires_in: int = 3600) -> str | None:
        return await resolve.media_url(self, info, expires_in)


@strawberry.type
class BrandingVariant(Node):
    is_type_of = model_check(models.BrandingVariant)
    aspect_ratio: str
    overlay_position: str
    overlay_width_pct: float
    overlay_margin_pct: float
    overlay_opacity: float
    created_at: datetime

    @strawberry.field
    def branding_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.branding_id))

    @strawberry.field
    def overlay_id(self) -> strawberry.ID | None:
        return _id(self.overlay_id)

    @strawberry.field
    def intro_id(self) -> strawberry.ID | None:
        return _id(self.intro_id)

    @strawberry.field
    def outro_id(self) -> strawberry.ID | None:
        return _id(self.outro_id)


@strawberry.type
class Branding(Node):
    is_type_of = model_check(models.Branding)
    name: str
    created_at: datetime

    @strawberry.field
    def subtitle_style_id(self) -> strawberry.ID | None:
        return _id(self.subtitle_style_id)

    @strawberry.field
    async def variants(self, info: strawberry.Info) -> list[BrandingVariant]:
        return await resolve.variants_of(self, info)


@strawberry.type
class SubtitleStylePage:
    items: list[SubtitleStyle]
    total: int


@strawberry.type
class BrandingMediaPage:
    items: list[BrandingMedia]
    total: int


@strawberry.type
class BrandingPage:
    items: list[Branding]
    total: int


@strawberry.type
class BrandingVariantPage:
    items: list[BrandingVariant]
    total: int


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


@strawberry.type
class SubtitleStylePayload:
    errors: list[UserError]

    @strawberry.field
    def subtitle_style(self) -> SubtitleStyle | None:
        return self.item


@strawberry.type
class BrandingMediaPayload:
    errors: list[UserError]

    @strawberry.field
    def media(self) -> BrandingMedia | None:
        return self.item


@strawberry.type
class BrandingUploadPayload:
    errors: list[UserError]
    upload_id: str | None
    expires_at: datetime | None

    @strawberry.field
    def media(self) -> BrandingMedia | None:
        return self.item

    @strawberry.field
    def parts(self) -> list[UploadPart]:
        return [UploadPart(part_number=i + 1, url=u) for i, u in enumerate(self.urls or [])]


@strawberry.type
class FinishBrandingUploadPayload:
    errors: list[UserError]
    job: Annotated["Job", strawberry.lazy("schema.jobs.types")] | None

    @strawberry.field
    def media(self) -> BrandingMedia | None:
        return self.item


@strawberry.type
class BrandingPayload:
    errors: list[UserError]

    @strawberry.field
    def branding(self) -> Branding | None:
        return self.item


@strawberry.type
class BrandingVariantPayload:
    errors: list[UserError]

    @strawberry.field
    def variant(self) -> BrandingVariant | None:
        return self.item

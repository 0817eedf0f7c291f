"""SubtitleStyle, BrandingMedia (overlays and intro/outro clips), Branding and BrandingVariant, and their pages."""
from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from domain.brandings import models
from resolvers.brandings import fields as resolve
from schema.common import Node, model_check


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

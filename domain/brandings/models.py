"""SubtitleStyle, BrandingMedia (overlay images and intro/outro clips), Branding and BrandingVariant rows."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin

ASPECT_RATIOS = ("9:16", "1:1", "4:5", "16:9", "4:3", "3:4")
OVERLAY_POSITIONS = ("top_left", "top_right", "bottom_left", "bottom_right", "center", "full")
MEDIA_KINDS = ("overlay", "clip")
CREATED, UPLOADING, PROCESSING, READY, FAILED = "created", "uploading", "processing", "ready", "failed"


class SubtitleStyle(IdMixin, TimestampMixin, Base):
    __tablename__ = "subtitle_styles"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    font_family: Mapped[str] = mapped_column(sa.String(200))
    text_color: Mapped[str] = mapped_column(sa.String(9))
    font_size_px: Mapped[int] = mapped_column(default=26)
    font_weight: Mapped[int] = mapped_column(default=600)
    line_height: Mapped[float] = mapped_column(default=1.2)
    vertical_position_pct: Mapped[float] = mapped_column(default=0.1)
    shadow_blur: Mapped[float] = mapped_column(default=0.0)
    shadow_color: Mapped[str | None] = mapped_column(sa.String(9), default=None)
    shadow_opacity_pct: Mapped[float] = mapped_column(default=1.0)
    shadow_offset_x_px: Mapped[int] = mapped_column(default=1)
    shadow_offset_y_px: Mapped[int] = mapped_column(default=1)
    background_color: Mapped[str | None] = mapped_column(sa.String(9), default=None)
    background_opacity: Mapped[float] = mapped_column(default=0.0)
    stroke_color: Mapped[str] = mapped_column(sa.String(9), default="#000000")
    stroke_thickness_px: Mapped[int] = mapped_column(default=0)


class BrandingMedia(IdMixin, TimestampMixin, Base):
    """An overlay image (PNG/WebP, alpha kept) or a short intro/outro video, uploaded like an asset."""

    __tablename__ = "branding_media"
    __table_args__ = (sa.Index("ix_branding_media_tenant_kind", "tenant_id", "kind", "created_at"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str] = mapped_column(sa.String(200))
    filename: Mapped[str] = mapped_column(sa.String(255))
    status: Mapped[str] = mapped_column(sa.String(16), default=CREATED)
    file_key: Mapped[str | None] = mapped_column(sa.String(1024), default=None)
    size: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    content_type: Mapped[str | None] = mapped_column(sa.String(128), default=None)
    width: Mapped[int | None] = mapped_column(default=None)
    height: Mapped[int | None] = mapped_column(default=None)
    duration_ms: Mapped[int | None] = mapped_column(default=None)
    has_alpha: Mapped[bool | None] = mapped_column(default=None)
    has_audio: Mapped[bool | None] = mapped_column(default=None)
    upload_id: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    upload_key: Mapped[str | None] = mapped_column(sa.String(1024), default=None)
    upload_parts: Mapped[int | None] = mapped_column(default=None)
    upload_started_at: Mapped[datetime | None] = mapped_column(default=None)  # for the abandoned-upload sweeper
    error_code: Mapped[str | None] = mapped_column(sa.String(48), default=None)
    error_message: Mapped[str | None] = mapped_column(sa.Text, default=None)


class Branding(IdMixin, TimestampMixin, Base):
    __tablename__ = "brandings"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    subtitle_style_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("subtitle_styles.id", ondelete="SET NULL"), default=None)


class BrandingVariant(IdMixin, TimestampMixin, Base):
    __tablename__ = "branding_variants"
    __table_args__ = (sa.UniqueConstraint("branding_id", "aspect_ratio", name="uq_branding_variants_ratio"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    branding_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("brandings.id", ondelete="CASCADE"))
    aspect_ratio: Mapped[str] = mapped_column(sa.String(8))
    overlay_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("branding_media.id"), default=None)
    intro_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("branding_media.id"), default=None)
    outro_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("branding_media.id"), default=None)
    overlay_position: Mapped[str] = mapped_column(sa.String(16), default="top_right")
    overlay_width_pct: Mapped[float] = mapped_column(default=0.2)  # of the output width
    overlay_margin_pct: Mapped[float] = mapped_column(default=0.04)  # of the output's short side
    overlay_opacity: Mapped[float] = mapped_column(default=1.0)

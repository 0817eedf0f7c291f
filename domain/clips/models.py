"""The Clip row: one range of an asset rendered to one file with its options."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin

QUEUED, RENDERING, READY, FAILED = "queued", "rendering", "ready", "failed"
MODES = ("accurate", "fast")  # fast: a keyframe-aligned stream copy, allowed only when nothing else changes


class Clip(IdMixin, TimestampMixin, Base):
    __tablename__ = "clips"
    __table_args__ = (sa.Index("ix_clips_asset_created", "asset_id", "created_at"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("assets.id", ondelete="CASCADE"))
    job_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("jobs.id", ondelete="SET NULL"), default=None)
    status: Mapped[str] = mapped_column(sa.String(16), default=QUEUED)
    start_ms: Mapped[int] = mapped_column()
    end_ms: Mapped[int] = mapped_column()
    start_frame: Mapped[int | None] = mapped_column(default=None)
    end_frame: Mapped[int | None] = mapped_column(default=None)
    aspect_ratio: Mapped[str | None] = mapped_column(sa.String(8), default=None)
    autoframing: Mapped[bool] = mapped_column(default=False)
    branding_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("brandings.id", ondelete="SET NULL"), default=None)
    subtitles_language: Mapped[str | None] = mapped_column(sa.String(35), default=None)
    with_sound_descriptions: Mapped[bool] = mapped_column(default=False)
    mode: Mapped[str] = mapped_column(sa.String(16), default="accurate")
    # What the render did: output size, crop, variant, style, stream copy, where autoframing came from.
    options: Mapped[dict] = mapped_column(default=dict)
    duration_ms: Mapped[int | None] = mapped_column(default=None)
    width: Mapped[int | None] = mapped_column(default=None)
    height: Mapped[int | None] = mapped_column(default=None)
    size: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    file_key: Mapped[str | None] = mapped_column(sa.String(1024), default=None)
    error_code: Mapped[str | None] = mapped_column(sa.String(48), default=None)
    error_message: Mapped[str | None] = mapped_column(sa.Text, default=None)

"""Asset, StoredFile and AudioTrack rows."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin

UPLOADING, PROCESSING, READY, FAILED = "uploading", "processing", "ready", "failed"
ASSET_STATUSES = (UPLOADING, PROCESSING, READY, FAILED)
MODES = ("normal", "turbo")


class Asset(IdMixin, TimestampMixin, Base):
    __tablename__ = "assets"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "external_id", name="uq_assets_tenant_external_id"),
        sa.Index("ix_assets_tenant_created", "tenant_id", "created_at"),
        sa.Index("ix_assets_upload_started_at", "upload_started_at"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    external_id: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    status: Mapped[str] = mapped_column(sa.String(16), default=UPLOADING)
    mode: Mapped[str] = mapped_column(sa.String(16), default="normal")
    language_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)
    collection_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None, index=True)
    template_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)
    duration_ms: Mapped[int | None] = mapped_column(default=None)
    media: Mapped[dict | None] = mapped_column(default=None)
    original_file_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)
    thumbnail_file_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)
    waveform_file_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)
    upload_id: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    upload_key: Mapped[str | None] = mapped_column(sa.String(1024), default=None)
    upload_parts: Mapped[int | None] = mapped_column(default=None)
    # The declared total of the upload in progress (checked against the parts and the quota) and when it began
    # (the sweeper aborts uploads left unfinished past UPLOAD_TTL_S).
    upload_size: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)
    upload_started_at: Mapped[datetime | None] = mapped_column(default=None)
    # Filterable summaries of the pipeline's analysis (MediaCopilot lists filter on them).
    sentiment: Mapped[str | None] = mapped_column(sa.String(16), default=None)
    classification: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    entities: Mapped[str | None] = mapped_column(sa.Text, default=None)  # "|name|name|", lower case, for LIKE


class StoredFile(IdMixin, TimestampMixin, Base):
    __tablename__ = "stored_files"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("assets.id", ondelete="CASCADE"), index=True, default=None
    )
    role: Mapped[str] = mapped_column(sa.String(32))
    key: Mapped[str] = mapped_column(sa.String(1024))
    content_type: Mapped[str] = mapped_column(sa.String(128))
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    filename: Mapped[str | None] = mapped_column(sa.String(255), default=None)


class AudioTrack(IdMixin, TimestampMixin, Base):
    __tablename__ = "audio_tracks"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    index: Mapped[int] = mapped_column()
    codec: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    language: Mapped[str | None] = mapped_column(sa.String(35), default=None)
    channels: Mapped[int | None] = mapped_column(default=None)
    sample_rate: Mapped[int | None] = mapped_column(default=None)
    duration_ms: Mapped[int | None] = mapped_column(default=None)
    source: Mapped[str] = mapped_column(sa.String(16), default="original")
    file_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)

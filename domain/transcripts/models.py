"""Transcription, Segment and Speaker rows."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin

ASR, TRANSLATION, MANUAL = "asr", "translation", "manual"


class Transcription(IdMixin, TimestampMixin, Base):
    __tablename__ = "transcriptions"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("jobs.id", ondelete="SET NULL"), default=None)
    original_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("transcriptions.id", ondelete="CASCADE"), default=None)
    language: Mapped[str] = mapped_column(sa.String(35))
    source: Mapped[str] = mapped_column(sa.String(16), default=ASR)
    status: Mapped[str] = mapped_column(sa.String(16), default="completed")
    model: Mapped[str | None] = mapped_column(sa.String(128), default=None)
    options: Mapped[dict] = mapped_column(default=dict)


class Speaker(IdMixin, TimestampMixin, Base):
    __tablename__ = "speakers"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(200))


class Segment(IdMixin, TimestampMixin, Base):
    __tablename__ = "segments"
    __table_args__ = (sa.Index("ix_segments_transcription_start", "transcription_id", "start_ms"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    transcription_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("transcriptions.id", ondelete="CASCADE"))
    start_ms: Mapped[int] = mapped_column()
    end_ms: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text)
    speaker_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("speakers.id", ondelete="SET NULL"), default=None)
    words: Mapped[list | None] = mapped_column(default=None)
    original_segment_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)

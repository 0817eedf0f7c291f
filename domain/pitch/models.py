"""The Submission row: an audio and the services asked of it; its task is a job of kind `submission`."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin

SERVICES = ("Translate", "Transcribe", "Paraphrase", "Speaker Diarization", "Summarize")


class Submission(IdMixin, TimestampMixin, Base):
    __tablename__ = "submissions"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("assets.id", ondelete="SET NULL"), default=None)
    audio_name: Mapped[str] = mapped_column(sa.String(255))
    services: Mapped[list] = mapped_column(default=list)
    context: Mapped[str | None] = mapped_column(sa.Text, default=None)
    language: Mapped[str | None] = mapped_column(sa.String(35), default=None)
    target_language: Mapped[str | None] = mapped_column(sa.String(35), default=None)
    task_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None, index=True)

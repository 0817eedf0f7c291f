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


AUDIO, SUBMISSION, TASK = "audio", "submission", "task"


class PitchNumber(Base):
    """The integer id a MediaPitch client sees for an audio, a submission or a task (its document's ids are
    Laravel's autoincrement integers). One sequence for the deployment, never reused: a number names one object
    of one tenant, and every lookup is still scoped by tenant."""

    __tablename__ = "pitch_numbers"
    __table_args__ = (sa.UniqueConstraint("kind", "target_id"), {"sqlite_autoincrement": True})
    number: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                                        autoincrement=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    target_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)

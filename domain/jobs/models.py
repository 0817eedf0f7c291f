"""The Job row and the vocabulary of kinds, statuses and priorities."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin

KINDS = (
    "probe", "transcription", "translation", "text_translation", "retranslation", "voice_over", "video_analysis",
    "media_analysis", "clip_render", "clip_download", "export", "branding_upload", "submission", "generation",
    "color_grade", "region_edit", "timeline_export",
    "search_index",
)
QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED = "queued", "running", "completed", "failed", "cancelled"
STATUSES = (QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED)
TERMINAL = frozenset({COMPLETED, FAILED, CANCELLED})
PRIORITIES = ("low", "standard", "high")


class Job(IdMixin, TimestampMixin, Base):
    __tablename__ = "jobs"
    __table_args__ = (sa.Index("ix_jobs_tenant_created", "tenant_id", "created_at"),
                      sa.Index("ix_jobs_status_heartbeat", "status", "heartbeat_at"))

    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    asset_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("assets.id", ondelete="SET NULL"), index=True, default=None
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("jobs.id", ondelete="SET NULL"), index=True, default=None
    )
    kind: Mapped[str] = mapped_column(sa.String(32))
    status: Mapped[str] = mapped_column(sa.String(16), default=QUEUED)
    stage: Mapped[str | None] = mapped_column(sa.String(32), default=None)
    progress: Mapped[int] = mapped_column(default=0)
    error_code: Mapped[str | None] = mapped_column(sa.String(48), default=None)
    error_message: Mapped[str | None] = mapped_column(sa.Text, default=None)
    input: Mapped[dict] = mapped_column(default=dict)
    options: Mapped[dict] = mapped_column(default=dict)
    result: Mapped[dict | None] = mapped_column(default=None)
    provider: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    # A dialect's own name for the work (a MediaPitch task type like "Transcribe&Translate").
    label: Mapped[str | None] = mapped_column(sa.String(128), default=None)
    priority: Mapped[str] = mapped_column(sa.String(16), default="standard")
    webhook: Mapped[dict | None] = mapped_column(default=None)
    client_meta: Mapped[dict | None] = mapped_column(default=None)
    request_id: Mapped[str | None] = mapped_column(sa.String(64), default=None)  # of the request that made it
    processed_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Delivery bookkeeping: the database, not the broker, is the source of truth.
    attempts: Mapped[int] = mapped_column(default=0)
    dispatched_at: Mapped[datetime | None] = mapped_column(default=None)
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)
    # The claim token of the worker running it: only that worker may report progress, complete or fail it.
    claimed_by: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    # Set at each claim from the kind's deadline; past it the job fails and its heartbeat is refused.
    deadline_at: Mapped[datetime | None] = mapped_column(default=None)
    # Bumped by every change; subscribers use it to order and de-duplicate events. Every UPDATE of the row is a
    # compare-and-set on it (version_id_col): a writer that read an older version fails instead of overwriting.
    version: Mapped[int] = mapped_column(default=0)

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

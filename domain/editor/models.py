"""Editor rows: a project over one source asset, its timeline segments and the variants generation proposes."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin

# Where a segment's pixels come from: a range of the project's source asset, a render of a grade, or an accepted variant.
ORIGINAL, GENERATED, VARIANT = "original", "generated", "variant"
SOURCES = (ORIGINAL, GENERATED, VARIANT)


class Project(IdMixin, TimestampMixin, Base):
    __tablename__ = "editor_projects"
    __table_args__ = (sa.Index("ix_editor_projects_tenant_created", "tenant_id", "created_at"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(255))
    description: Mapped[str | None] = mapped_column(sa.Text, default=None)
    # The source video: set when `video_url` is fetched or an upload lands; its probe opens the first segment.
    asset_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("assets.id", ondelete="SET NULL"), index=True, default=None)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)


class TimelineSegment(IdMixin, TimestampMixin, Base):
    """One piece of the timeline; times are seconds-as-milliseconds in the *source* asset.

    Edits never rewrite a segment in place (except `trim`, inside `bound_*`): split, grade and accept deactivate it and
    add new rows, so the history stays and a variant can be scored against the original it replaced.
    Media: an `original` segment plays its asset's original file from `start_ms` to `end_ms`; a segment with a
    `file_key` (generated, variant) plays that file, whose time 0 is source time `bound_start_ms`, so it plays the file
    from `start_ms - bound_start_ms` for `end_ms - start_ms`.
    """

    __tablename__ = "editor_segments"
    __table_args__ = (sa.Index("ix_editor_segments_project_order", "project_id", "active", "order_index"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("editor_projects.id", ondelete="CASCADE"))
    asset_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("assets.id", ondelete="SET NULL"), default=None)
    source: Mapped[str] = mapped_column(sa.String(16), default=ORIGINAL)
    start_ms: Mapped[int] = mapped_column()
    end_ms: Mapped[int] = mapped_column()
    # The range trim may move within: the bounds of the segment this one was cut from.
    bound_start_ms: Mapped[int] = mapped_column()
    bound_end_ms: Mapped[int] = mapped_column()
    order_index: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("editor_segments.id", ondelete="SET NULL"), default=None)
    variant_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("editor_variants.id", ondelete="SET NULL"), default=None)
    # Rendered pixels for generated/variant segments (a storage key); None for plain cuts of the source.
    file_key: Mapped[str | None] = mapped_column(sa.String(1024), default=None)
    # The colour grade a generated segment was rendered with (the documented six numbers).
    grade: Mapped[dict | None] = mapped_column(default=None)
    job_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("jobs.id", ondelete="SET NULL"), default=None)


class Variant(IdMixin, TimestampMixin, Base):
    """One candidate of a generation job: a region edit of a time range, rendered to its own file."""

    __tablename__ = "editor_variants"
    __table_args__ = (sa.Index("ix_editor_variants_job", "job_id"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("editor_projects.id", ondelete="CASCADE"))
    job_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("jobs.id", ondelete="SET NULL"), default=None)
    prompt: Mapped[str] = mapped_column(sa.Text)
    # What was done: {"operation": "blur", "strength": 0.6, "provider": "local", ...}
    operation: Mapped[dict] = mapped_column(default=dict)
    start_ms: Mapped[int] = mapped_column()
    end_ms: Mapped[int] = mapped_column()
    # Relative units (0..1) of the frame: {"x", "y", "width", "height"}.
    box: Mapped[dict | None] = mapped_column(default=None)
    file_key: Mapped[str | None] = mapped_column(sa.String(1024), default=None)
    preview_key: Mapped[str | None] = mapped_column(sa.String(1024), default=None)
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)

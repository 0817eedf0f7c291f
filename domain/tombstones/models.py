"""The StorageTombstone row: one storage key, prefix or unfinished upload whose owning row was deleted."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin, utcnow


class StorageTombstone(IdMixin, TimestampMixin, Base):
    __tablename__ = "storage_tombstones"
    __table_args__ = (sa.Index("ix_storage_tombstones_due_at", "due_at"),)

    # No foreign key: a tombstone outlives the rows (and the tenant) it was written for.
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)
    # An object key, or a prefix ending in "/" (everything under it goes).
    key: Mapped[str] = mapped_column(sa.String(1024))
    # Set when the object is an unfinished multipart upload: it is aborted rather than deleted.
    upload_id: Mapped[str | None] = mapped_column(sa.String(1024), default=None)
    # When the reconciler may take it next: now when written, pushed on by each claim (a lease) and failure.
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text, default=None)

"""The job event log's rows: each event in its tenant's sequence, and the per-tenant counter that hands them out."""
from __future__ import annotations

import uuid
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin


class JobEvent(IdMixin, TimestampMixin, Base):
    __tablename__ = "job_events"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "sequence", name="uq_job_events_tenant_sequence"),
                      sa.Index("ix_job_events_created_at", "created_at"))

    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    # NULL only inside the writing transaction on PostgreSQL: a deferred trigger numbers the row as it commits
    # (migration 0019); readers never see it NULL.
    sequence: Mapped[int | None] = mapped_column(sa.BigInteger)
    # No foreign key: an event outlives nothing it describes for longer than the retention window anyway.
    job_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    payload: Mapped[dict] = mapped_column()


class EventSequence(Base):
    __tablename__ = "event_sequences"

    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True)
    last: Mapped[int] = mapped_column(sa.BigInteger, default=0)

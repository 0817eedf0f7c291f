"""UsageRecord rows: at most one per job (a constraint, so a job completed twice cannot bill twice)."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin


class UsageRecord(IdMixin, TimestampMixin, Base):
    __tablename__ = "usage_records"
    __table_args__ = (sa.Index("ix_usage_tenant_created", "tenant_id", "created_at"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    # Unique: NULLs (records of deleted jobs, imported history) are distinct on both backends.
    job_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("jobs.id", ondelete="SET NULL"), default=None,
                                                     unique=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    quantity: Mapped[float] = mapped_column(sa.Float, default=0.0)
    unit: Mapped[str] = mapped_column(sa.String(16), default="second")
    details: Mapped[dict | None] = mapped_column(default=None)

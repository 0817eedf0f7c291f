"""WebhookDelivery rows (the outbox and the record of every attempt) and the tenant's signing secret."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin


class WebhookDelivery(IdMixin, TimestampMixin, Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (sa.Index("ix_webhook_deliveries_pending", "created_at",
                               postgresql_where=sa.text("delivered_at IS NULL"),
                               sqlite_where=sa.text("delivered_at IS NULL")),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(sa.String(64))
    url: Mapped[str] = mapped_column(sa.String(2048))
    payload: Mapped[dict] = mapped_column()
    status_code: Mapped[int | None] = mapped_column(default=None)
    attempt: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.String(300), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)
    # Outbox bookkeeping: when the broker last took its message (NULL: never; the sweeper sends it), when an attempt
    # was last recorded (a delivery idle long past its backoff has lost its message), and the lease of the attempt in
    # flight (two messages for one row never post it twice at once).
    queued_at: Mapped[datetime | None] = mapped_column(default=None)
    attempted_at: Mapped[datetime | None] = mapped_column(default=None)
    leased_until: Mapped[datetime | None] = mapped_column(default=None)


class WebhookSecret(IdMixin, TimestampMixin, Base):
    __tablename__ = "webhook_secrets"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), unique=True)
    encrypted: Mapped[str] = mapped_column(sa.Text)

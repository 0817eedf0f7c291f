"""WebhookDelivery rows (the outbox and the record of every attempt) and the tenant's signing secret."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin


class WebhookDelivery(IdMixin, TimestampMixin, Base):
    __tablename__ = "webhook_deliveries"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(sa.String(64))
    url: Mapped[str] = mapped_column(sa.String(2048))
    payload: Mapped[dict] = mapped_column()
    status_code: Mapped[int | None] = mapped_column(default=None)
    attempt: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.String(300), default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)


class WebhookSecret(IdMixin, TimestampMixin, Base):
    __tablename__ = "webhook_secrets"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), unique=True)
    encrypted: Mapped[str] = mapped_column(sa.Text)

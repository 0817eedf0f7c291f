"""Tenant and ApiKey rows."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin


class Tenant(IdMixin, TimestampMixin, Base):
    __tablename__ = "tenants"
    name: Mapped[str] = mapped_column(sa.String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Where completion notices go (MediaPitch emails the user when a task completes).
    notification_email: Mapped[str | None] = mapped_column(sa.String(320), default=None)
    # Credits spent, summed from usage records as tasks complete (seconds of media, characters of text).
    credits_used: Mapped[float] = mapped_column(sa.Float, default=0.0)
    # Bytes this tenant may keep in storage; unset = TENANT_QUOTA_BYTES, 0 = no quota.
    quota_bytes: Mapped[int | None] = mapped_column(sa.BigInteger, default=None)


class ApiKey(IdMixin, TimestampMixin, Base):
    __tablename__ = "api_keys"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="default")
    # Keys are 256-bit random tokens, so a plain SHA-256 is a sufficient one-way store.
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(16))
    is_admin: Mapped[bool] = mapped_column(default=False)
    # "worker": a processing worker's key, which may report MediaPitch task results; "tenant" otherwise.
    role: Mapped[str] = mapped_column(sa.String(16), default="tenant", server_default="tenant")
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

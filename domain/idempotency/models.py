"""The idempotency_keys row: one client key of a tenant, who holds it, and the first answer given under it."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin, UTCDateTime

PENDING, DONE = "pending", "done"


class IdempotencyKey(IdMixin, TimestampMixin, Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "key", name="uq_idempotency_keys_tenant_id_key"),
                      sa.Index("ix_idempotency_keys_created_at", "created_at"))
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(255))
    # sha256 of the request as its surface sees it (GraphQL field and arguments; REST method, route and body).
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    scope: Mapped[str] = mapped_column(sa.String(300))  # what the key was first used for, for the conflict message
    state: Mapped[str] = mapped_column(sa.String(16), default=PENDING)
    # The request holding a pending key; completing checks it, so a claim taken over after a crash cannot complete.
    token: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Fernet tokens (domain/secrets.py): the created objects by reference, and the REST answer as it was sent.
    result: Mapped[str | None] = mapped_column(sa.Text, default=None)
    response: Mapped[str | None] = mapped_column(sa.Text, default=None)

"""The ExternalStorage row: a tenant's bucket or container, its path template and its encrypted credentials."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin

TYPES = ("aws_s3", "azure", "gcp_storage", "dummy")


class ExternalStorage(IdMixin, TimestampMixin, Base):
    __tablename__ = "external_storages"
    __table_args__ = (sa.Index("ix_external_storages_tenant_created", "tenant_id", "created_at"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    type: Mapped[str] = mapped_column(sa.String(16))
    destination: Mapped[dict] = mapped_column(default=dict)
    export_path: Mapped[str | None] = mapped_column(sa.String(1024), default=None)
    # Fernet token of the JSON authentication_data; never returned, never logged.
    secret: Mapped[str | None] = mapped_column(sa.Text, default=None)
    last_export_at: Mapped[datetime | None] = mapped_column(default=None)


class ExportIdentity(IdMixin, TimestampMixin, Base):
    """A tenant's ExternalId for exports through an assumed IAM role: random, made by the server, shown to the tenant
    (who puts it in the role's trust policy), never chosen by the tenant."""
    __tablename__ = "export_identities"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), unique=True)
    external_id: Mapped[str] = mapped_column(sa.String(64))

"""Collection and View rows; an asset names its collection in `assets.collection_id`."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin


class Collection(IdMixin, TimestampMixin, Base):
    __tablename__ = "collections"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    template_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)


class View(IdMixin, TimestampMixin, Base):
    __tablename__ = "views"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # [{field, operator, value}], validated by domain/catalog/conditions.py before it is stored.
    filter_params: Mapped[list] = mapped_column(default=list)

"""AnalysisItem: one result of the asset pipeline's analysis (a shot, a face track, an autocenter point series,
a sound description, a metadata document), addressable by id so clients can list, read and delete them."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin

ITEM_KINDS = ("camera_shot", "face", "autocenter", "sound_description", "metadata")


class AnalysisItem(IdMixin, TimestampMixin, Base):
    __tablename__ = "analysis_items"
    __table_args__ = (sa.Index("ix_analysis_items_asset_kind", "asset_id", "kind", "start_ms"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("assets.id", ondelete="CASCADE"))
    job_id: Mapped[uuid.UUID | None] = mapped_column(sa.ForeignKey("jobs.id", ondelete="SET NULL"), default=None)
    kind: Mapped[str] = mapped_column(sa.String(32))
    start_ms: Mapped[int | None] = mapped_column(default=None)
    end_ms: Mapped[int | None] = mapped_column(default=None)
    file_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)
    data: Mapped[dict] = mapped_column(default=dict)

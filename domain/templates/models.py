"""Template, WordList (blacklist or whitelist) and Dictionary rows."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin


class Template(IdMixin, TimestampMixin, Base):
    __tablename__ = "templates"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    dictionary_ids: Mapped[list] = mapped_column(default=list)
    blacklist_ids: Mapped[list] = mapped_column(default=list)
    whitelist_ids: Mapped[list] = mapped_column(default=list)
    translation_language_ids: Mapped[list] = mapped_column(default=list)
    voice_over_language_ids: Mapped[list] = mapped_column(default=list)
    enabled_ocr: Mapped[bool] = mapped_column(default=False)
    voice_over_config: Mapped[dict] = mapped_column(default=dict)


class WordList(IdMixin, TimestampMixin, Base):
    __tablename__ = "word_lists"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))  # blacklist | whitelist
    name: Mapped[str] = mapped_column(sa.String(200))
    words: Mapped[list] = mapped_column(default=list)
    language_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)
    template_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None, index=True)


class Dictionary(IdMixin, TimestampMixin, Base):
    __tablename__ = "dictionaries"
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    entries: Mapped[dict] = mapped_column(default=dict)
    template_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None, index=True)

"""SearchChunk: one searchable piece of an asset (a ~30 s window of speech, an on-screen line, a metadata field)
with its text for full-text search and its embedding for semantic search."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin

SPEECH, ON_SCREEN_TEXT, METADATA = "speech", "on_screen_text", "metadata"
SOURCES = (SPEECH, ON_SCREEN_TEXT, METADATA)


def fts_key(chunk_id: uuid.UUID) -> int:
    """The chunk's row id in SQLite's FTS5 table: 63 bits of its UUID (random bits, so collisions are ~2^-40 at
    a million chunks), since an FTS5 row id must be an integer and our primary keys are UUIDs."""
    return chunk_id.int >> 65


class SearchChunk(IdMixin, TimestampMixin, Base):
    __tablename__ = "search_chunks"
    __table_args__ = (sa.Index("ix_search_chunks_tenant_created", "tenant_id", "created_at"),
                      sa.Index("ix_search_chunks_asset", "asset_id", "source"),
                      # Point lookups by id or FTS row within the tenant (SQLite's planner would otherwise walk
                      # the tenant's whole created_at index for `tenant_id = ? AND id IN (...)`).
                      sa.Index("ix_search_chunks_tenant_id", "tenant_id", "id", unique=True),
                      sa.Index("ix_search_chunks_tenant_fts_key", "tenant_id", "fts_key", unique=True))
    tenant_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("tenants.id", ondelete="CASCADE"))
    # Removal follows deletion: an asset's chunks go with it (and, through triggers, their FTS5 rows).
    asset_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("assets.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(sa.String(16))
    # The transcription (speech) or metadata analysis item (on-screen text, metadata) the text came from.
    ref_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, default=None)
    field: Mapped[str | None] = mapped_column(sa.String(32), default=None)  # metadata: filename, topics, ...
    language: Mapped[str | None] = mapped_column(sa.String(35), default=None)
    start_ms: Mapped[int] = mapped_column(default=0)
    end_ms: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)
    # Where each transcript segment sits in `text` ([start_ms, end_ms, char offset]), to land on its second.
    spans: Mapped[list | None] = mapped_column(default=None)
    digest: Mapped[str] = mapped_column(sa.String(64))       # of source, ref, times and text: the row's identity
    text_digest: Mapped[str] = mapped_column(sa.String(64))  # of the text alone: an unchanged text keeps its vector
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)    # float32 x 384, L2-normalised
    fts_key: Mapped[int] = mapped_column(sa.BigInteger)

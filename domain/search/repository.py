"""Every SQL statement about search chunks: the asset's chunks, the tenant's vectors, and full-text matching per
dialect (SQLite FTS5 with bm25, PostgreSQL tsvector with ts_rank_cd), always scoped by tenant in the query."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from domain.assets.models import Asset
from domain.search.models import SearchChunk

FTS = sa.table("search_fts", sa.column("rowid", sa.BigInteger), sa.column("text", sa.Text))


async def lock_asset(session: AsyncSession, asset_id: uuid.UUID) -> Asset | None:
    """Index jobs of one asset write one at a time (PostgreSQL row lock; SQLite's writer lock serialises anyway)."""
    query = sa.select(Asset).where(Asset.id == asset_id).with_for_update().execution_options(populate_existing=True)
    return (await session.execute(query)).scalar_one_or_none()


async def of_asset(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> list[SearchChunk]:
    query = sa.select(SearchChunk).where(SearchChunk.tenant_id == tenant_id, SearchChunk.asset_id == asset_id)
    return list((await session.execute(query)).scalars())


def add(session: AsyncSession, chunk: SearchChunk) -> None:
    session.add(chunk)


async def delete_ids(session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> None:
    for start in range(0, len(ids), 500):
        await session.execute(sa.delete(SearchChunk).where(SearchChunk.tenant_id == tenant_id,
                                                           SearchChunk.id.in_(ids[start:start + 500])))


async def signature(session: AsyncSession, tenant_id: uuid.UUID) -> tuple:
    """Changes whenever a chunk is added (an edit is a delete and an add): the tenant's newest row, one index probe.
    A count would catch deletes alone too but costs a scan (~30 ms at 100k); a deleted chunk left in a cached
    matrix is harmless, since hits are read back by id and it is gone."""
    query = sa.select(sa.func.max(SearchChunk.created_at)).where(SearchChunk.tenant_id == tenant_id)
    return ((await session.execute(query)).scalar_one_or_none(),)


async def vectors(session: AsyncSession, tenant_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID, bytes]]:
    query = (sa.select(SearchChunk.id, SearchChunk.asset_id, SearchChunk.vector)
             .where(SearchChunk.tenant_id == tenant_id).order_by(SearchChunk.id))
    return [tuple(row) for row in await session.execute(query)]


async def by_ids(session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[SearchChunk]:
    if not ids:
        return []
    query = (sa.select(SearchChunk).options(defer(SearchChunk.vector))
             .where(SearchChunk.tenant_id == tenant_id, SearchChunk.id.in_(list(ids))))
    return list((await session.execute(query)).scalars())


async def full_text(session: AsyncSession, tenant_id: uuid.UUID, terms: list[str], asset_id: uuid.UUID | None,
                    limit: int) -> list[uuid.UUID]:
    """Chunk ids matching any of the terms, best first. `terms` are \\w+ words, so they need no escaping."""
    if not terms:
        return []
    if session.bind.dialect.name == "sqlite":
        return await _fts5(session, tenant_id, terms, asset_id, limit)
    tsquery = sa.func.to_tsquery(sa.literal("english", sa.Text).cast(postgresql.REGCONFIG), " | ".join(terms))
    tsv = sa.literal_column("search_chunks.tsv")
    query = (sa.select(SearchChunk.id).where(SearchChunk.tenant_id == tenant_id, tsv.op("@@")(tsquery))
             .order_by(sa.func.ts_rank_cd(tsv, tsquery).desc()).limit(limit))
    if asset_id is not None:
        query = query.where(SearchChunk.asset_id == asset_id)
    return list((await session.execute(query)).scalars())


async def _fts5(session: AsyncSession, tenant_id: uuid.UUID, terms: list[str], asset_id: uuid.UUID | None,
                limit: int) -> list[uuid.UUID]:
    """The tenant (and asset) are terms of the MATCH on the `scope` column (see migration 0012), so FTS5 ranks only
    the tenant's rows; the chunk rows are then read by tenant too."""
    scope = f'scope : "t{tenant_id.hex}0"' + (f' AND scope : "a{asset_id.hex}0"' if asset_id else "")
    any_term = " OR ".join(f'"{t}"' for t in terms)
    match = f"{scope} AND text : ({any_term})"
    ranked = (sa.select(FTS.c.rowid).where(sa.literal_column("search_fts").op("MATCH")(match))
              .order_by(sa.literal_column("rank")).limit(limit))
    keys = list((await session.execute(ranked)).scalars())
    if not keys:
        return []
    rows = await session.execute(sa.select(SearchChunk.fts_key, SearchChunk.id)
                                 .where(SearchChunk.tenant_id == tenant_id, SearchChunk.fts_key.in_(keys)))
    ids = dict(rows.tuples().all())
    return [ids[k] for k in keys if k in ids]

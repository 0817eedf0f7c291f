"""Every SQL statement about collections and views (and the asset rows a collection gains or loses)."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain import scoped
from domain.assets.models import Asset
from domain.pagination import Cursor


def add(session: AsyncSession, obj) -> None:
    session.add(obj)


async def get(session: AsyncSession, model, tenant_id: uuid.UUID, ident: uuid.UUID):
    return await scoped.get(session, model, tenant_id, ident)


async def page(session: AsyncSession, model, tenant_id: uuid.UUID, *, limit: int, offset: int,
               after: Cursor | None = None) -> tuple[list, bool, int]:
    return await scoped.page(session, model, tenant_id, limit=limit, offset=offset, after=after)


async def asset_ids(session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    query = sa.select(Asset.id).where(Asset.tenant_id == tenant_id, Asset.id.in_(ids))
    return set((await session.execute(query)).scalars())


async def set_collection(session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID],
                         collection_id: uuid.UUID | None, *, only_from: uuid.UUID | None = None) -> int:
    """One UPDATE; `only_from` limits removal to assets that are in that collection."""
    query = sa.update(Asset).where(Asset.tenant_id == tenant_id, Asset.id.in_(ids))
    if only_from is not None:
        query = query.where(Asset.collection_id == only_from)
    result = await session.execute(query.values(collection_id=collection_id).execution_options(
        synchronize_session=False))
    return result.rowcount or 0


async def release_assets(session: AsyncSession, tenant_id: uuid.UUID, collection_id: uuid.UUID) -> None:
    """A deleted collection keeps its assets: they simply belong to no collection."""
    await session.execute(sa.update(Asset).where(Asset.tenant_id == tenant_id, Asset.collection_id == collection_id)
                          .values(collection_id=None).execution_options(synchronize_session=False))


async def delete(session: AsyncSession, obj) -> None:
    await session.delete(obj)

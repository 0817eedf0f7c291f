"""Every SQL statement about clips."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain import scoped
from domain.clips.models import Clip
from domain.pagination import Cursor


def add(session: AsyncSession, clip: Clip) -> None:
    session.add(clip)


async def get(session: AsyncSession, tenant_id: uuid.UUID, clip_id: uuid.UUID) -> Clip | None:
    return (await session.execute(sa.select(Clip).where(Clip.tenant_id == tenant_id, Clip.id == clip_id))).scalar_one_or_none()


async def get_unscoped(session: AsyncSession, clip_id: uuid.UUID) -> Clip | None:
    return await session.get(Clip, clip_id)


async def by_ids(session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[Clip]:
    rows = await session.execute(sa.select(Clip).where(Clip.tenant_id == tenant_id, Clip.id.in_(ids)))
    return list(rows.scalars())


async def page(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID, *, limit: int,
               offset: int, after: Cursor | None = None) -> tuple[list[Clip], bool, int]:
    return await scoped.page(session, Clip, tenant_id, limit=limit, offset=offset, after=after, asset_id=asset_id)


async def by_asset_ids(session: AsyncSession, tenant_id: uuid.UUID, asset_ids: Sequence[uuid.UUID]) -> list[Clip]:
    rows = await session.execute(sa.select(Clip).where(Clip.tenant_id == tenant_id, Clip.asset_id.in_(asset_ids))
                                 .order_by(Clip.created_at.desc(), Clip.id.desc()))
    return list(rows.scalars())

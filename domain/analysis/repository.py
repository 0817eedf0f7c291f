"""Every SQL statement about analysis items."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.analysis.models import AnalysisItem


def add(session: AsyncSession, item: AnalysisItem) -> None:
    session.add(item)


async def for_asset(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID, kind: str) -> list[AnalysisItem]:
    query = (sa.select(AnalysisItem)
             .where(AnalysisItem.tenant_id == tenant_id, AnalysisItem.asset_id == asset_id, AnalysisItem.kind == kind)
             .order_by(AnalysisItem.start_ms, AnalysisItem.created_at, AnalysisItem.id))
    return list((await session.execute(query)).scalars())


async def get(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID, item_id: uuid.UUID,
              kind: str) -> AnalysisItem | None:
    query = sa.select(AnalysisItem).where(AnalysisItem.tenant_id == tenant_id, AnalysisItem.asset_id == asset_id,
                                          AnalysisItem.id == item_id, AnalysisItem.kind == kind)
    return (await session.execute(query)).scalar_one_or_none()


async def delete(session: AsyncSession, item: AnalysisItem) -> None:
    await session.delete(item)


async def replace(session: AsyncSession, asset_id: uuid.UUID, kinds: list[str], items: list[AnalysisItem]) -> None:
    """A new pipeline analysis replaces the asset's earlier items of the kinds it produced."""
    await session.execute(sa.delete(AnalysisItem).where(AnalysisItem.asset_id == asset_id, AnalysisItem.kind.in_(kinds)))
    session.add_all(items)


async def for_assets(session: AsyncSession, tenant_id: uuid.UUID, asset_ids) -> list[AnalysisItem]:
    query = (sa.select(AnalysisItem)
             .where(AnalysisItem.tenant_id == tenant_id, AnalysisItem.asset_id.in_(asset_ids))
             .order_by(AnalysisItem.asset_id, AnalysisItem.kind, AnalysisItem.start_ms, AnalysisItem.id))
    return list((await session.execute(query)).scalars())

"""Every SQL statement about external storages."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.exports.models import ExternalStorage


def add(session: AsyncSession, storage: ExternalStorage) -> None:
    session.add(storage)


async def get(session: AsyncSession, tenant_id: uuid.UUID | None, ident: uuid.UUID) -> ExternalStorage | None:
    """`tenant_id` None is the admin's view across tenants."""
    query = sa.select(ExternalStorage).where(ExternalStorage.id == ident)
    if tenant_id is not None:
        query = query.where(ExternalStorage.tenant_id == tenant_id)
    return (await session.execute(query)).scalar_one_or_none()


async def page(session: AsyncSession, tenant_id: uuid.UUID | None, *, limit: int, offset: int,
               ) -> tuple[list[ExternalStorage], int]:
    base = sa.select(ExternalStorage)
    if tenant_id is not None:
        base = base.where(ExternalStorage.tenant_id == tenant_id)
    total = (await session.execute(sa.select(sa.func.count()).select_from(base.subquery()))).scalar_one()
    rows = await session.execute(base.order_by(ExternalStorage.created_at.desc(), ExternalStorage.id.desc())
                                 .offset(offset).limit(limit))
    return list(rows.scalars()), total


async def delete(session: AsyncSession, storage: ExternalStorage) -> None:
    await session.delete(storage)

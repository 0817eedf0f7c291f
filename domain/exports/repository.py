"""Every SQL statement about external storages."""
from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from domain import scoped
from domain.exports.models import ExternalStorage


def add(session: AsyncSession, storage: ExternalStorage) -> None:
    session.add(storage)


async def get(session: AsyncSession, tenant_id: uuid.UUID | None, ident: uuid.UUID) -> ExternalStorage | None:
    """`tenant_id` None is the admin's view across tenants."""
    return await scoped.get(session, ExternalStorage, tenant_id, ident)


async def page(session: AsyncSession, tenant_id: uuid.UUID | None, *, limit: int, offset: int,
               ) -> tuple[list[ExternalStorage], int]:
    return await scoped.page(session, ExternalStorage, tenant_id, limit=limit, offset=offset)


async def delete(session: AsyncSession, storage: ExternalStorage) -> None:
    await session.delete(storage)

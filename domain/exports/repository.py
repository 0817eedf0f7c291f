"""Every SQL statement about external storages and the tenants' export identities."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain import scoped
from domain.db import utcnow
from domain.exports.models import ExportIdentity, ExternalStorage
from domain.pagination import Cursor


def add(session: AsyncSession, storage: ExternalStorage) -> None:
    session.add(storage)


async def get(session: AsyncSession, tenant_id: uuid.UUID | None, ident: uuid.UUID) -> ExternalStorage | None:
    """`tenant_id` None is the admin's view across tenants."""
    return await scoped.get(session, ExternalStorage, tenant_id, ident)


async def page(session: AsyncSession, tenant_id: uuid.UUID | None, *, limit: int, offset: int,
               after: Cursor | None = None) -> tuple[list[ExternalStorage], bool, int]:
    return await scoped.page(session, ExternalStorage, tenant_id, limit=limit, offset=offset, after=after)


async def delete(session: AsyncSession, storage: ExternalStorage) -> None:
    await session.delete(storage)


async def identity(session: AsyncSession, tenant_id: uuid.UUID) -> ExportIdentity | None:
    query = sa.select(ExportIdentity).where(ExportIdentity.tenant_id == tenant_id)
    return (await session.execute(query)).scalar_one_or_none()


async def identities(session: AsyncSession, tenant_ids: Sequence[uuid.UUID]) -> list[ExportIdentity]:
    query = sa.select(ExportIdentity).where(ExportIdentity.tenant_id.in_(tenant_ids))
    return list((await session.execute(query)).scalars())


async def add_identity(session: AsyncSession, tenant_id: uuid.UUID, external_id: str) -> None:
    """Insert unless the tenant has one (two first exports at once keep the first)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    values = {"id": uuid.uuid4(), "tenant_id": tenant_id, "external_id": external_id, "created_at": utcnow()}
    await session.execute(insert(ExportIdentity).values(**values).on_conflict_do_nothing(index_elements=["tenant_id"]))

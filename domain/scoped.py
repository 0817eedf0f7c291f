"""Tenant-scoped reads shared by the CRUD areas (templates, brandings, external storages): one row by id, and a
page newest first, narrowed by equality filters. A tenant of None is an admin's view across tenants."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pagination import Cursor


def _select(model, tenant_id: uuid.UUID | None, equal: dict):
    query = sa.select(model)
    if tenant_id is not None:
        query = query.where(model.tenant_id == tenant_id)
    for name, value in equal.items():
        if value is not None:
            query = query.where(getattr(model, name) == value)
    return query


async def get(session: AsyncSession, model, tenant_id: uuid.UUID | None, ident: uuid.UUID, **equal):
    return (await session.execute(_select(model, tenant_id, equal).where(model.id == ident))).scalar_one_or_none()


async def page(session: AsyncSession, model, tenant_id: uuid.UUID | None, *, limit: int, offset: int,
               after: Cursor | None = None, **equal) -> tuple[list, bool, int]:
    """Up to `limit` rows after the cursor (then skipping `offset`), whether more follow, and the total."""
    base = _select(model, tenant_id, equal)
    total = (await session.execute(sa.select(sa.func.count()).select_from(base.subquery()))).scalar_one()
    if after is not None:
        base = base.where(sa.tuple_(model.created_at, model.id) < sa.tuple_(after.created_at, after.id))
    query = base.order_by(model.created_at.desc(), model.id.desc()).offset(offset).limit(limit + 1)
    rows = list((await session.execute(query)).scalars())  # one extra row tells whether more follow
    return rows[:limit], len(rows) > limit, total

"""Rows of one Node model by id, within a tenant: the one query a `nodes` batch issues per model."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession


async def by_ids(session: AsyncSession, model, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list:
    query = sa.select(model).where(model.tenant_id == tenant_id, model.id.in_(ids))
    return list((await session.execute(query)).scalars())

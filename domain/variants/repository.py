"""Every SQL statement about generated variants."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain import scoped
from domain.editor.models import Variant


async def get(session: AsyncSession, tenant_id: uuid.UUID, variant_id: uuid.UUID) -> Variant | None:
    return await scoped.get(session, Variant, tenant_id, variant_id)


async def get_unscoped(session: AsyncSession, variant_id: uuid.UUID) -> Variant | None:
    return await session.get(Variant, variant_id)


async def by_jobs(session: AsyncSession, tenant_id: uuid.UUID, job_ids: Sequence[uuid.UUID]) -> list[Variant]:
    """The variants of several jobs, in the order they were made (strength order)."""
    if not job_ids:
        return []
    rows = await session.execute(sa.select(Variant).where(Variant.tenant_id == tenant_id, Variant.job_id.in_(job_ids))
                                 .order_by(Variant.created_at, Variant.id))
    return list(rows.scalars())


def add(session: AsyncSession, variant: Variant) -> None:
    session.add(variant)

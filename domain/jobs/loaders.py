"""Batch loads for jobs: by id, by asset and by parent."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import repository


async def jobs_by_id(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    found = {j.id: j for j in await repository.by_ids(session, tenant_id, keys)}
    return [found.get(k) for k in keys]


async def jobs_by_asset(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    grouped = defaultdict(list)
    for job in await repository.by_asset_ids(session, tenant_id, keys):
        grouped[job.asset_id].append(job)
    return [grouped.get(k, []) for k in keys]


async def children_by_parent(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    grouped = defaultdict(list)
    for job in await repository.children(session, tenant_id, keys):
        grouped[job.parent_id].append(job)
    return [grouped.get(k, []) for k in keys]

"""Batch loads of webhook deliveries by job."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.webhooks import repository


async def deliveries_by_job(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    grouped = defaultdict(list)
    for row in await repository.by_job_ids(session, tenant_id, keys):
        grouped[row.job_id].append(row)
    return [grouped.get(k, []) for k in keys]

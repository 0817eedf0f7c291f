"""Batch loaders for analysis items: one query for every asset a GraphQL page asks about."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.analysis import repository


async def items_by_asset(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    grouped = defaultdict(list)
    for item in await repository.for_assets(session, tenant_id, keys):
        grouped[item.asset_id].append(item)
    return [grouped.get(k, []) for k in keys]

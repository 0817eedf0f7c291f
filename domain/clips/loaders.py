"""Batch loads for clips: every listed asset's clips, newest first, in one query."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.clips import repository


async def clips_by_asset(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    grouped = defaultdict(list)
    for clip in await repository.by_asset_ids(session, tenant_id, keys):
        grouped[clip.asset_id].append(clip)
    return [grouped.get(k, []) for k in keys]

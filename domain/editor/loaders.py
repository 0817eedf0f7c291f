"""Batch loads for the editor's GraphQL fields: each project's active timeline, one query per batch."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.editor import repository


async def timelines_by_project(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    grouped = defaultdict(list)
    for segment in await repository.segments_by_project_ids(session, tenant_id, list(keys)):
        grouped[segment.project_id].append(segment)
    return [grouped.get(k, []) for k in keys]

"""Batch loads for brandings: every listed branding's variants in one query."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.brandings import repository


async def variants_by_branding(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    grouped = defaultdict(list)
    for variant in await repository.variants_of(session, tenant_id, keys):
        grouped[variant.branding_id].append(variant)
    return [grouped.get(k, []) for k in keys]

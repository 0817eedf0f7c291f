"""Batch loads for assets, their files and audio tracks (one query per batch, keyed by id)."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.assets import repository


async def assets_by_id(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    found = {a.id: a for a in await repository.by_ids(session, tenant_id, keys)}
    return [found.get(k) for k in keys]


async def files_by_id(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    found = {f.id: f for f in await repository.files_by_ids(session, tenant_id, keys)}
    return [found.get(k) for k in keys]


async def tracks_by_asset(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    grouped = defaultdict(list)
    for track in await repository.tracks_by_asset_ids(session, tenant_id, keys):
        grouped[track.asset_id].append(track)
    return [grouped.get(k, []) for k in keys]

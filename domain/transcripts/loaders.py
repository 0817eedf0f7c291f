"""Batch loads for transcripts: transcriptions and speakers by asset, segments by transcription, speakers by id."""
from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.transcripts import repository


def _grouped(rows, attribute: str, keys):
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, attribute)].append(row)
    return [grouped.get(k, []) for k in keys]


async def transcriptions_by_asset(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    return _grouped(await repository.by_asset_ids(session, tenant_id, keys), "asset_id", keys)


async def segments_by_transcription(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    return _grouped(await repository.segments_by_transcription_ids(session, tenant_id, keys), "transcription_id", keys)


async def speakers_by_asset(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    return _grouped(await repository.speakers_by_asset_ids(session, tenant_id, keys), "asset_id", keys)


async def speakers_by_id(session: AsyncSession, tenant_id: uuid.UUID, keys: Sequence[uuid.UUID]):
    found = {s.id: s for s in await repository.speakers_by_ids(session, tenant_id, keys)}
    return [found.get(k) for k in keys]

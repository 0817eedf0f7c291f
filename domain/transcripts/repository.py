"""Every SQL statement about transcriptions, segments and speakers."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.transcripts.models import Segment, Speaker, Transcription


def add(session: AsyncSession, obj) -> None:
    session.add(obj)


async def get(session: AsyncSession, tenant_id: uuid.UUID, transcription_id: uuid.UUID) -> Transcription | None:
    query = sa.select(Transcription).where(Transcription.tenant_id == tenant_id, Transcription.id == transcription_id)
    return (await session.execute(query)).scalar_one_or_none()


async def by_asset_ids(session: AsyncSession, tenant_id: uuid.UUID, asset_ids: Sequence[uuid.UUID]) -> list[Transcription]:
    query = (sa.select(Transcription)
             .where(Transcription.tenant_id == tenant_id, Transcription.asset_id.in_(asset_ids))
             .order_by(Transcription.created_at, Transcription.id))
    return list((await session.execute(query)).scalars())


async def segments_by_transcription_ids(session: AsyncSession, tenant_id: uuid.UUID,
                                        ids: Sequence[uuid.UUID]) -> list[Segment]:
    query = (sa.select(Segment).where(Segment.tenant_id == tenant_id, Segment.transcription_id.in_(ids))
             .order_by(Segment.transcription_id, Segment.start_ms, Segment.end_ms, Segment.id))
    return list((await session.execute(query)).scalars())


async def segment(session: AsyncSession, tenant_id: uuid.UUID, transcription_id: uuid.UUID,
                  segment_id: uuid.UUID) -> Segment | None:
    query = sa.select(Segment).where(Segment.tenant_id == tenant_id, Segment.transcription_id == transcription_id,
                                     Segment.id == segment_id)
    return (await session.execute(query)).scalar_one_or_none()


async def segment_of_tenant(session: AsyncSession, tenant_id: uuid.UUID, segment_id: uuid.UUID) -> Segment | None:
    query = sa.select(Segment).where(Segment.tenant_id == tenant_id, Segment.id == segment_id)
    return (await session.execute(query)).scalar_one_or_none()


async def speakers_by_asset_ids(session: AsyncSession, tenant_id: uuid.UUID, asset_ids: Sequence[uuid.UUID]) -> list[Speaker]:
    query = (sa.select(Speaker).where(Speaker.tenant_id == tenant_id, Speaker.asset_id.in_(asset_ids))
             .order_by(Speaker.asset_id, Speaker.label))
    return list((await session.execute(query)).scalars())


async def speakers_by_ids(session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[Speaker]:
    query = sa.select(Speaker).where(Speaker.tenant_id == tenant_id, Speaker.id.in_(ids))
    return list((await session.execute(query)).scalars())


async def speaker(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID, speaker_id: uuid.UUID) -> Speaker | None:
    query = sa.select(Speaker).where(Speaker.tenant_id == tenant_id, Speaker.asset_id == asset_id, Speaker.id == speaker_id)
    return (await session.execute(query)).scalar_one_or_none()


async def delete(session: AsyncSession, obj) -> None:
    await session.delete(obj)


async def segments_by_speaker(session: AsyncSession, tenant_id: uuid.UUID, speaker_id: uuid.UUID) -> list[Segment]:
    query = sa.select(Segment).where(Segment.tenant_id == tenant_id, Segment.speaker_id == speaker_id)
    return list((await session.execute(query)).scalars())

"""Every SQL statement about usage records."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.usage.models import UsageRecord


def add(session: AsyncSession, record: UsageRecord) -> None:
    session.add(record)


async def for_job(session: AsyncSession, job_id: uuid.UUID) -> list[UsageRecord]:
    return list((await session.execute(sa.select(UsageRecord).where(UsageRecord.job_id == job_id))).scalars())


async def for_jobs(session: AsyncSession, job_ids: list[uuid.UUID]) -> list[UsageRecord]:
    query = sa.select(UsageRecord).where(UsageRecord.job_id.in_(job_ids))
    return list((await session.execute(query)).scalars())

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


async def jobs_with_usage(session: AsyncSession, tenant_id: uuid.UUID, kind: str, since=None, until=None):
    """(job, its usage record or None) for one job kind of a tenant, newest first; optionally a created_at range."""
    from domain.jobs.models import Job

    query = (sa.select(Job, UsageRecord).outerjoin(UsageRecord, UsageRecord.job_id == Job.id)
             .where(Job.tenant_id == tenant_id, Job.kind == kind))
    if since is not None:
        query = query.where(Job.created_at >= since)
    if until is not None:
        query = query.where(Job.created_at < until)
    return list((await session.execute(query.order_by(Job.created_at.desc(), Job.id.desc()))).all())

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


def _month(session: AsyncSession):
    """'YYYY-MM' of a record's UTC creation time, in each backend's own words (SQLite stores ISO text)."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", UsageRecord.created_at), "YYYY-MM")
    return sa.func.substr(UsageRecord.created_at, 1, 7)


async def totals_by_month(session: AsyncSession, tenant_id: uuid.UUID, since, until) -> list[tuple[str, str, str, float]]:
    """(month, kind, unit, summed quantity) of a tenant's records created in [since, until): one grouped query."""
    month = _month(session).label("month")
    query = (sa.select(month, UsageRecord.kind, UsageRecord.unit, sa.func.sum(UsageRecord.quantity))
             .where(UsageRecord.tenant_id == tenant_id, UsageRecord.created_at >= since, UsageRecord.created_at < until)
             .group_by(month, UsageRecord.kind, UsageRecord.unit))
    return [(m, k, u, float(q or 0)) for m, k, u, q in (await session.execute(query)).all()]

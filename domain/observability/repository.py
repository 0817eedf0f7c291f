"""Every SQL statement the health checks and metrics make: one ping and three bounded aggregates."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs.models import COMPLETED, FAILED, QUEUED, RUNNING, Job
from domain.webhooks.models import WebhookDelivery


async def ping(session: AsyncSession) -> None:
    await session.execute(sa.select(1))


async def jobs_by_kind_and_status(session: AsyncSession, finished_since: datetime) -> list[tuple[str, str, int]]:
    """Queued and running jobs, and those that finished since the given time (the history is not rescanned)."""
    query = (sa.select(Job.kind, Job.status, sa.func.count())
             .where(sa.or_(Job.status.in_((QUEUED, RUNNING)), Job.completed_at >= finished_since))
             .group_by(Job.kind, Job.status))
    return [tuple(row) for row in (await session.execute(query)).all()]


def _seconds(session: AsyncSession):
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.extract("epoch", Job.completed_at - Job.processed_at)
    return (sa.func.julianday(Job.completed_at) - sa.func.julianday(Job.processed_at)) * 86400.0


async def durations(session: AsyncSession, finished_since: datetime, buckets: Sequence[float]) -> list[tuple]:
    """Per kind and end state of jobs finished since the time: count, total seconds, and the count at or under each
    bucket; from started (processed_at) to finished, so time spent queued is not counted."""
    seconds = _seconds(session)
    query = (sa.select(Job.kind, Job.status, sa.func.count(), sa.func.coalesce(sa.func.sum(seconds), 0.0),
                       *(sa.func.sum(sa.case((seconds <= bound, 1), else_=0)) for bound in buckets))
             .where(Job.status.in_((COMPLETED, FAILED)), Job.completed_at >= finished_since,
                    Job.processed_at.is_not(None))
             .group_by(Job.kind, Job.status))
    return [tuple(row) for row in (await session.execute(query)).all()]


async def webhook_outcomes(session: AsyncSession, created_since: datetime) -> list[tuple[str, int]]:
    """Deliveries written since the time: delivered, failing (an attempt failed; retrying or given up), pending."""
    outcome = sa.case((WebhookDelivery.delivered_at.is_not(None), "delivered"),
                      (WebhookDelivery.attempt > 0, "failing"), else_="pending")
    query = (sa.select(outcome, sa.func.count()).where(WebhookDelivery.created_at >= created_since)
             .group_by(outcome))
    return [tuple(row) for row in (await session.execute(query)).all()]


async def job_origin(session: AsyncSession, job_id) -> tuple[str | None, str | None]:
    """A job's kind and the id of the request that created it (None, None for an unknown id)."""
    row = (await session.execute(sa.select(Job.kind, Job.request_id).where(Job.id == job_id))).first()
    return (row[0], row[1]) if row else (None, None)

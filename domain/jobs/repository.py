"""Every SQL statement about jobs."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs.models import QUEUED, RUNNING, Job
from domain.pagination import Cursor


async def get(session: AsyncSession, tenant_id: uuid.UUID, job_id: uuid.UUID) -> Job | None:
    return (
        await session.execute(sa.select(Job).where(Job.id == job_id, Job.tenant_id == tenant_id))
    ).scalar_one_or_none()


async def get_unscoped(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    """For workers only: they act on an id the API already scoped when it queued the job."""
    return await session.get(Job, job_id, populate_existing=True)


async def locked(session: AsyncSession, job: Job) -> Job | None:
    """The job read again under a row lock (PostgreSQL; SQLite's writer already holds the database): a step that
    another process is committing is waited for, so the caller decides on the current row and its write holds."""
    query = sa.select(Job).where(Job.id == job.id).with_for_update().execution_options(populate_existing=True)
    return (await session.execute(query)).scalar_one_or_none()


def _filtered(tenant_id, kinds, statuses, asset_id, label=None):
    query = sa.select(Job).where(Job.tenant_id == tenant_id)
    if label is not None:
        query = query.where(Job.label == label)
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    if statuses:
        query = query.where(Job.status.in_(statuses))
    if asset_id:
        query = query.where(Job.asset_id == asset_id)
    return query


async def page(
    session: AsyncSession, tenant_id: uuid.UUID, *, first: int, after: Cursor | None,
    kinds: Sequence[str] = (), statuses: Sequence[str] = (), asset_id: uuid.UUID | None = None,
    label: str | None = None, offset: int = 0,
) -> tuple[list[Job], bool, int]:
    base = _filtered(tenant_id, kinds, statuses, asset_id, label)
    total = (await session.execute(sa.select(sa.func.count()).select_from(base.subquery()))).scalar_one()
    query = base
    if after:
        query = query.where(sa.tuple_(Job.created_at, Job.id) < sa.tuple_(after.created_at, after.id))
    query = query.order_by(Job.created_at.desc(), Job.id.desc()).offset(offset).limit(first + 1)
    rows = (await session.execute(query)).scalars()
    items = list(rows)
    return items[:first], len(items) > first, total


async def by_asset_ids(
    session: AsyncSession, tenant_id: uuid.UUID, asset_ids: Sequence[uuid.UUID], kinds: Sequence[str] = ()
) -> list[Job]:
    query = _filtered(tenant_id, kinds, (), None).where(Job.asset_id.in_(asset_ids))
    return list((await session.execute(query.order_by(Job.created_at.desc(), Job.id.desc()))).scalars())


async def by_ids(session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[Job]:
    query = sa.select(Job).where(Job.tenant_id == tenant_id, Job.id.in_(ids))
    return list((await session.execute(query)).scalars())


async def children(session: AsyncSession, tenant_id: uuid.UUID, parent_ids: Sequence[uuid.UUID]) -> list[Job]:
    query = sa.select(Job).where(Job.tenant_id == tenant_id, Job.parent_id.in_(parent_ids))
    return list((await session.execute(query.order_by(Job.created_at))).scalars())


async def claim(session: AsyncSession, job_id: uuid.UUID, token: str, now: datetime, *, stale_before: datetime,
                max_attempts: int) -> Job | None:
    """Take a job for one worker: queued, or running with an expired heartbeat, and with attempts left (a job that
    used them all is the reaper's to fail); None when it is not to be taken. The row is locked (a competing claim
    waits, then finds it taken) and changed in memory: the caller sets its deadline and marks it running, and that
    is the transaction's one UPDATE of the row. A second UPDATE of a row this transaction already updated makes
    PostgreSQL re-check its asset foreign key (a KEY SHARE lock on the asset after the job's lock), the reverse of
    the order `deleteAsset` locks in (asset, then its jobs): the two deadlocked."""
    query = (sa.select(Job)
             .where(Job.id == job_id, Job.attempts < max_attempts,
                    sa.or_(Job.status == QUEUED, sa.and_(Job.status == RUNNING, Job.heartbeat_at < stale_before)))
             .with_for_update().execution_options(populate_existing=True))
    job = (await session.execute(query)).scalars().first()
    if job is not None:
        job.claimed_by, job.heartbeat_at, job.attempts = token, now, job.attempts + 1
    return job


async def heartbeat(session: AsyncSession, job_id: uuid.UUID, token: str, now: datetime) -> bool:
    """Keep the claim alive; False once it is no longer this worker's (reclaimed, finished, or past its deadline)."""
    result = await session.execute(
        sa.update(Job)
        .where(Job.id == job_id, Job.claimed_by == token, Job.status == RUNNING,
               sa.or_(Job.deadline_at.is_(None), Job.deadline_at > now))
        .values(heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def expired_running(session: AsyncSession, *, now: datetime, heartbeat_before: datetime, limit: int) -> list[Job]:
    """Running jobs whose worker stopped beating or whose deadline passed, locked for this transaction.

    SKIP LOCKED: any number of reapers split the work instead of queueing on each other's rows (SQLite has one
    writer and ignores the clause)."""
    query = (
        sa.select(Job)
        .where(Job.status == RUNNING, sa.or_(Job.heartbeat_at < heartbeat_before, Job.deadline_at < now))
        .order_by(Job.heartbeat_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.execute(query)).scalars())


async def mark_dispatched(session: AsyncSession, job_ids: Sequence[uuid.UUID], now: datetime) -> None:
    await session.execute(
        sa.update(Job).where(Job.id.in_(job_ids)).values(dispatched_at=now).execution_options(synchronize_session=False)
    )


async def queued_for_asset(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> list[Job]:
    query = sa.select(Job).where(Job.tenant_id == tenant_id, Job.asset_id == asset_id, Job.status == QUEUED)
    return list((await session.execute(query)).scalars())


def add(session: AsyncSession, job: Job) -> None:
    session.add(job)


async def to_dispatch(session: AsyncSession, *, unsent_before: datetime, lost_before: datetime,
                      limit: int) -> list[Job]:
    """The dispatch outbox (workers/outbox.py): queued jobs the broker never took (created before `unsent_before`,
    so a commit's own send goes first), or took before `lost_before` and never ran; locked, SKIP LOCKED."""
    query = (sa.select(Job).where(Job.status == QUEUED, sa.or_(
        sa.and_(Job.dispatched_at.is_(None), Job.created_at < unsent_before), Job.dispatched_at < lost_before))
        .order_by(Job.created_at).limit(limit).with_for_update(skip_locked=True))
    return list((await session.execute(query)).scalars())

"""Every SQL statement about the job event log and its per-tenant sequence counters."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.events.models import EventSequence, JobEvent

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


async def take(session: AsyncSession, tenant_id: uuid.UUID, count: int) -> int:
    """Advance the tenant's counter by `count` and return its new last value (SQLite, where the whole database has one
    writer at a time, so commit order is sequence order; PostgreSQL numbers at commit instead)."""
    bump = (sa.update(EventSequence).where(EventSequence.tenant_id == tenant_id)
            .values(last=EventSequence.last + count).returning(EventSequence.last))
    last = (await session.execute(bump)).scalar_one_or_none()
    if last is None:  # the tenant's first event: make its row (a concurrent first writer may have made it meanwhile)
        insert = _INSERT[session.get_bind().dialect.name]
        await session.execute(insert(EventSequence).values(tenant_id=tenant_id, last=0).on_conflict_do_nothing())
        last = (await session.execute(bump)).scalar_one()
    return last


def numbered_at_commit(session: AsyncSession) -> bool:
    """PostgreSQL numbers new events in a deferred trigger as the commit runs (migration 0019): write them with
    `sequence` NULL and read their numbers after commit. SQLite has no such trigger: `take` numbers them."""
    return session.get_bind().dialect.name == "postgresql"


async def numbers(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The sequences committed events were given, by row id: one statement outside any transaction (no BEGIN and
    COMMIT round trips), as it runs between every job event's commit and its publication."""
    connection = await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    rows = await connection.execute(sa.select(JobEvent.id, JobEvent.sequence).where(JobEvent.id.in_(ids)))
    return {ident: sequence for ident, sequence in rows}


async def add(session: AsyncSession, rows: list[dict]) -> None:
    await session.execute(sa.insert(JobEvent), rows)


async def after(session: AsyncSession, tenant_id: uuid.UUID, sequence: int, limit: int,
                job_id: uuid.UUID | None = None) -> list[JobEvent]:
    query = sa.select(JobEvent).where(JobEvent.tenant_id == tenant_id, JobEvent.sequence > sequence)
    if job_id is not None:
        query = query.where(JobEvent.job_id == job_id)
    return list((await session.execute(query.order_by(JobEvent.sequence).limit(limit))).scalars())


async def last(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    """The tenant's last committed sequence (0 before its first event)."""
    return (await session.execute(sa.select(EventSequence.last)
                                  .where(EventSequence.tenant_id == tenant_id))).scalar_one_or_none() or 0


async def first(session: AsyncSession, tenant_id: uuid.UUID) -> int | None:
    """The oldest sequence still retained for the tenant (None: none are)."""
    return (await session.execute(sa.select(sa.func.min(JobEvent.sequence))
                                  .where(JobEvent.tenant_id == tenant_id))).scalar_one_or_none()


async def delete_older(session: AsyncSession, before: datetime, limit: int) -> int:
    """Delete at most `limit` events written before `before`; returns how many went."""
    doomed = sa.select(JobEvent.id).where(JobEvent.created_at < before).limit(limit)
    result = await session.execute(sa.delete(JobEvent).where(JobEvent.id.in_(doomed))
                                   .execution_options(synchronize_session=False))
    return result.rowcount

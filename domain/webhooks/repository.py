"""Every SQL statement about webhook deliveries and secrets."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.webhooks.models import WebhookDelivery, WebhookSecret


def add(session: AsyncSession, obj) -> None:
    session.add(obj)


async def delivery(session: AsyncSession, delivery_id: uuid.UUID) -> WebhookDelivery | None:
    return await session.get(WebhookDelivery, delivery_id, populate_existing=True)


async def by_job_ids(session: AsyncSession, tenant_id: uuid.UUID, job_ids: Sequence[uuid.UUID]) -> list[WebhookDelivery]:
    query = (sa.select(WebhookDelivery).where(WebhookDelivery.tenant_id == tenant_id, WebhookDelivery.job_id.in_(job_ids))
             .order_by(WebhookDelivery.created_at, WebhookDelivery.id))
    return list((await session.execute(query)).scalars())


async def add_secret_if_missing(session: AsyncSession, tenant_id: uuid.UUID, encrypted: str) -> None:
    """Make the tenant's secret unless a concurrent transaction made it first (that one wins; no error)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
    await session.execute(insert(WebhookSecret).values(tenant_id=tenant_id, encrypted=encrypted)
                          .on_conflict_do_nothing(index_elements=["tenant_id"]))


async def secret(session: AsyncSession, tenant_id: uuid.UUID) -> WebhookSecret | None:
    query = sa.select(WebhookSecret).where(WebhookSecret.tenant_id == tenant_id)
    return (await session.execute(query)).scalar_one_or_none()


# Attempts a delivery gets in all (workers/broker.py: the webhook actor's max_retries 7, plus the first).
MAX_ATTEMPTS = 8


async def mark_queued(session: AsyncSession, ids: Sequence[uuid.UUID], now: datetime) -> None:
    if ids:
        await session.execute(sa.update(WebhookDelivery).where(WebhookDelivery.id.in_(ids)).values(queued_at=now)
                              .execution_options(synchronize_session=False))


async def lease(session: AsyncSession, delivery_id: uuid.UUID, now: datetime, until: datetime) -> bool:
    """Take the delivery for one attempt; False when it is delivered, out of attempts, or another attempt holds it."""
    result = await session.execute(
        sa.update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.delivered_at.is_(None),
               WebhookDelivery.attempt < MAX_ATTEMPTS,
               sa.or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until < now))
        .values(leased_until=until).execution_options(synchronize_session=False))
    return result.rowcount == 1


async def to_resend(session: AsyncSession, *, now: datetime, unsent_before: datetime, stalled_before: datetime,
                    unattempted_before: datetime, newer_than: datetime, limit: int) -> list[WebhookDelivery]:
    """Undelivered rows the broker never took; queued long ago and never attempted (their message was lost with
    Redis, or with the worker that took it: no backoff applies before a first attempt); or whose retries went quiet
    long past any backoff. Locked for this transaction (SKIP LOCKED: sweepers in other processes take other rows)."""
    d = WebhookDelivery
    free = sa.or_(d.leased_until.is_(None), d.leased_until < now)
    never_queued = sa.and_(d.queued_at.is_(None), d.created_at < unsent_before)
    never_attempted = sa.and_(d.queued_at < unattempted_before, d.attempted_at.is_(None), free)
    stalled = sa.and_(d.queued_at < stalled_before, sa.or_(d.attempted_at.is_(None), d.attempted_at < stalled_before),
                      free)
    query = (sa.select(d).where(d.delivered_at.is_(None), d.attempt < MAX_ATTEMPTS, d.created_at > newer_than,
                                sa.or_(never_queued, never_attempted, stalled))
             .order_by(d.created_at).limit(limit).with_for_update(skip_locked=True))
    return list((await session.execute(query)).scalars())

"""Every SQL statement about webhook deliveries and secrets."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

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


async def secret(session: AsyncSession, tenant_id: uuid.UUID) -> WebhookSecret | None:
    query = sa.select(WebhookSecret).where(WebhookSecret.tenant_id == tenant_id)
    return (await session.execute(query)).scalar_one_or_none()

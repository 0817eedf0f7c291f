"""Every SQL statement about idempotency keys."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.db import utcnow
from domain.idempotency.models import DONE, PENDING, IdempotencyKey


async def find(session: AsyncSession, tenant_id: uuid.UUID, key: str) -> IdempotencyKey | None:
    query = sa.select(IdempotencyKey).where(IdempotencyKey.tenant_id == tenant_id, IdempotencyKey.key == key)
    return (await session.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()


async def insert_unless_held(session: AsyncSession, tenant_id: uuid.UUID, key: str, fingerprint: str, scope: str,
                             token: uuid.UUID, expired_before: datetime) -> None:
    """Drop the tenant's expired row for the key, then insert ours unless another holds the key (no error if so)."""
    await session.execute(sa.delete(IdempotencyKey).where(
        IdempotencyKey.tenant_id == tenant_id, IdempotencyKey.key == key, IdempotencyKey.created_at < expired_before))
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    await session.execute(insert(IdempotencyKey).values(
        id=uuid.uuid4(), tenant_id=tenant_id, key=key, fingerprint=fingerprint, scope=scope[:300], state=PENDING,
        token=token, claimed_at=now, created_at=now).on_conflict_do_nothing(index_elements=["tenant_id", "key"]))


async def take_over(session: AsyncSession, row_id: uuid.UUID, old: uuid.UUID, new: uuid.UUID) -> bool:
    """A pending claim whose holder went quiet passes to a new request, once (compare-and-set on the token)."""
    done = await session.execute(sa.update(IdempotencyKey).where(
        IdempotencyKey.id == row_id, IdempotencyKey.token == old, IdempotencyKey.state == PENDING,
    ).values(token=new, claimed_at=utcnow()))
    return done.rowcount == 1


async def complete(session: AsyncSession, row_id: uuid.UUID, token: uuid.UUID, result: str | None) -> bool:
    done = await session.execute(sa.update(IdempotencyKey).where(
        IdempotencyKey.id == row_id, IdempotencyKey.token == token, IdempotencyKey.state == PENDING,
    ).values(state=DONE, result=result))
    return done.rowcount == 1


async def release(session: AsyncSession, row_id: uuid.UUID, token: uuid.UUID) -> None:
    await session.execute(sa.delete(IdempotencyKey).where(
        IdempotencyKey.id == row_id, IdempotencyKey.token == token, IdempotencyKey.state == PENDING))


async def remember_response(session: AsyncSession, row_id: uuid.UUID, token: uuid.UUID, response: str) -> None:
    await session.execute(sa.update(IdempotencyKey).where(
        IdempotencyKey.id == row_id, IdempotencyKey.token == token, IdempotencyKey.state == DONE,
    ).values(response=response))


async def delete_expired(session: AsyncSession, before: datetime, batch: int) -> int:
    ids = sa.select(IdempotencyKey.id).where(IdempotencyKey.created_at < before).limit(batch)
    done = await session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.id.in_(ids)))
    return done.rowcount or 0

"""Every SQL statement about tenants and API keys."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.tenancy.models import ApiKey, Tenant


async def get_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant | None:
    return await session.get(Tenant, tenant_id)


async def tenant_by_name(session: AsyncSession, name: str) -> Tenant | None:
    return (await session.execute(sa.select(Tenant).where(Tenant.name == name).limit(1))).scalar_one_or_none()


async def key_by_hash(session: AsyncSession, key_hash: str) -> tuple[ApiKey, Tenant] | None:
    """The key and its tenant, revoked keys included (the caller tells disabled from unknown)."""
    row = (
        await session.execute(
            sa.select(ApiKey, Tenant).join(Tenant, Tenant.id == ApiKey.tenant_id).where(ApiKey.key_hash == key_hash)
        )
    ).first()
    return (row[0], row[1]) if row else None


def add(session: AsyncSession, obj) -> None:
    session.add(obj)


async def key_by_id(session: AsyncSession, key_id: uuid.UUID) -> tuple[ApiKey, Tenant] | None:
    row = (
        await session.execute(
            sa.select(ApiKey, Tenant).join(Tenant, Tenant.id == ApiKey.tenant_id)
            .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
        )
    ).first()
    return (row[0], row[1]) if row else None


async def tenant_by_claim(session: AsyncSession, value: str) -> Tenant | None:
    """An OIDC tenant claim names a tenant by id or by name."""
    if not value:
        return None
    try:
        found = await session.get(Tenant, uuid.UUID(value))
        if found is not None:
            return found
    except ValueError:
        pass
    return await tenant_by_name(session, value)


async def add_credits(session: AsyncSession, tenant_id: uuid.UUID, amount: float) -> None:
    """Credits grow in the database (`credits_used + :amount`), so concurrent completions never lose one."""
    await session.execute(sa.update(Tenant).where(Tenant.id == tenant_id)
                          .values(credits_used=sa.func.round(sa.cast(Tenant.credits_used + amount, sa.Numeric), 3))
                          .execution_options(synchronize_session=False))


async def live_key_by_prefix(session: AsyncSession, tenant_id: uuid.UUID, prefix: str) -> ApiKey | None:
    """A tenant's unrevoked key by its public prefix (the OAuth client_id)."""
    return (await session.execute(
        sa.select(ApiKey).where(ApiKey.tenant_id == tenant_id, ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
        .limit(1)
    )).scalar_one_or_none()

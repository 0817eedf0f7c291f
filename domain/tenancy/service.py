"""Creating tenants and keys, and resolving a presented key to the Viewer it acts as."""
from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from domain.db import utcnow
from domain.errors import AccountDisabled, DomainError, ErrorCode, NotFound, ValidationFailed
from domain.tenancy import repository, tokens
from domain.tenancy.models import ApiKey, Tenant

KEY_PREFIX = "mg_"


@dataclass(frozen=True)
class Viewer:
    """Who a request acts for. Every service call takes one; every query is scoped by tenant_id."""

    tenant_id: uuid.UUID
    name: str
    is_admin: bool = False
    subject: str = "api-key"
    key_id: uuid.UUID | None = None
    is_worker: bool = False  # a processing worker's key (role "worker"): may report MediaPitch task results


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


async def create_tenant(session: AsyncSession, name: str) -> Tenant:
    tenant = Tenant(id=uuid.uuid4(), name=name)
    repository.add(session, tenant)
    await session.flush()
    return tenant


async def issue_key(
    session: AsyncSession, tenant: Tenant, *, raw: str | None = None, is_admin: bool = False, name: str = "default",
    role: str = "tenant",
) -> str:
    """Store a key hashed and return it in clear: the only time it is ever shown."""
    raw = raw or new_key()
    repository.add(
        session,
        ApiKey(tenant_id=tenant.id, key_hash=hash_key(raw), prefix=raw[:10], is_admin=is_admin, name=name,
               role=role),
    )
    await session.flush()
    return raw


async def create_tenant_with_key(session: AsyncSession, name: str, *, is_admin: bool = False, role: str = "tenant",
                                 quota_bytes: int | None = None) -> tuple[Tenant, str]:
    """A new key for the tenant of this name (made if new); `quota_bytes` sets its storage quota (0: none)."""
    tenant = await repository.tenant_by_name(session, name) or await create_tenant(session, name)
    if quota_bytes is not None:
        tenant.quota_bytes = quota_bytes
    return tenant, await issue_key(session, tenant, is_admin=is_admin, role=role)


async def ensure_bootstrap_key(session: AsyncSession, raw: str) -> Tenant:
    """Make sure a tenant owning `raw` exists (BOOTSTRAP_API_KEY); idempotent across restarts."""
    found = await repository.key_by_hash(session, hash_key(raw))
    if found:
        return found[1]
    tenant = await create_tenant(session, "bootstrap")
    await issue_key(session, tenant, raw=raw, is_admin=True, name="bootstrap")
    return tenant


async def authenticate(session: AsyncSession, raw: str | None) -> Viewer | None:
    if not raw:
        return None
    found = await repository.key_by_hash(session, hash_key(raw.strip()))
    if not found:
        return None
    key, tenant = found
    if not tenant.is_active or key.revoked_at is not None:
        raise AccountDisabled("this API key is disabled")
    return Viewer(tenant_id=tenant.id, name=tenant.name, is_admin=key.is_admin, key_id=key.id,
                  is_worker=key.role == "worker")


async def authenticate_token(session: AsyncSession, raw: str, *, secret: str, issuer: str,
                             oidc: "tokens.OidcVerifier | None" = None) -> Viewer | None:
    """A JWT we issued (its key must still be valid), or one from the configured OIDC issuer."""
    claims = tokens.verify_issued(secret, issuer, raw)
    if claims is not None:
        found = await repository.key_by_id(session, uuid.UUID(claims["kid"]))
        if found is None or str(found[1].id) != claims["sub"] or not found[1].is_active:
            return None
        key, tenant = found
        return Viewer(tenant_id=tenant.id, name=tenant.name, is_admin=key.is_admin, subject="oauth", key_id=key.id,
                      is_worker=key.role == "worker")
    if oidc is None:
        return None
    claims = await oidc.verify(raw)
    if claims is None:
        return None
    tenant = await repository.tenant_by_claim(session, str(claims.get(oidc.tenant_claim, "")))
    if tenant is None or not tenant.is_active:
        return None
    return Viewer(tenant_id=tenant.id, name=tenant.name, subject=f"oidc:{claims['sub']}")


async def key_for_client(session: AsyncSession, client_id: str, client_secret: str) -> ApiKey | None:
    """OAuth2 client credentials: the secret is an API key, the id its public prefix."""
    found = await repository.key_by_hash(session, hash_key(client_secret))
    if found is None or found[0].prefix != client_id or not found[1].is_active or found[0].revoked_at is not None:
        return None
    return found[0]


async def set_key_revoked(session: AsyncSession, raw: str, revoked: bool = True) -> None:
    found = await repository.key_by_hash(session, hash_key(raw))
    if found:
        found[0].revoked_at = utcnow() if revoked else None
        await session.flush()


async def account(uow, viewer: Viewer) -> Tenant:
    """The caller's tenant row: its name, where notices go, credits used."""
    tenant = await repository.get_tenant(uow.session, viewer.tenant_id)
    if tenant is None:
        raise NotFound("account", viewer.tenant_id)
    return tenant


async def revoke_key(session: AsyncSession, viewer: Viewer, prefix: str | None) -> str:
    """Revoke the caller's own key, or (admin keys only) another key of the same tenant by its prefix.

    Requests with the key fail from the next one on; its open websockets close at their next re-check."""
    found = None
    if prefix is None or not prefix.strip():
        if viewer.key_id is not None:
            found = await repository.key_by_id(session, viewer.key_id)
        if found is None or found[0].tenant_id != viewer.tenant_id:
            raise ValidationFailed("this credential is not an API key; name the key to revoke by its prefix",
                                   field=["input", "prefix"])
        key = found[0]
    else:
        key = await repository.live_key_by_prefix(session, viewer.tenant_id, prefix.strip())
        if key is None:
            raise NotFound("API key", prefix.strip(), field=["input", "prefix"])
        if key.id != viewer.key_id and not viewer.is_admin:
            raise DomainError("only an admin key may revoke another key", field=["input", "prefix"],
                              code=ErrorCode.FORBIDDEN)
    key.revoked_at = utcnow()
    await session.flush()
    return key.prefix

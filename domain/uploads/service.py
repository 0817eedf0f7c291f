"""The storage quota (what a tenant may still store) and the closing of uploads left unfinished past their TTL."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from domain.assets.models import FAILED as ASSET_FAILED
from domain.brandings.models import FAILED as MEDIA_FAILED, READY as MEDIA_READY
from domain.db import UnitOfWork
from domain.errors import ErrorCode, NotFound, QuotaExceeded
from domain.tenancy import repository as tenancy_repo
from domain.tenancy.models import Tenant
from domain.tombstones import service as tombstones
from domain.uploads import repository


def limit_for(settings, tenant: Tenant) -> int | None:
    """The tenant's own quota_bytes, else TENANT_QUOTA_BYTES; 0 or less means no quota."""
    limit = settings.tenant_quota_bytes if tenant.quota_bytes is None else tenant.quota_bytes
    return limit if limit and limit > 0 else None


async def room(uow: UnitOfWork, settings, tenant_id: uuid.UUID, *, except_asset: uuid.UUID | None = None,
               lock: bool = False) -> int | None:
    """Bytes the tenant may still store, None without a quota. With `lock`, concurrent checks of one tenant take
    turns until the transaction ends, so two uploads cannot both take the last free bytes."""
    session = uow.session
    tenant = await (repository.lock_tenant(session, tenant_id) if lock else tenancy_repo.get_tenant(session, tenant_id))
    if tenant is None:
        raise NotFound("account", tenant_id)
    limit = limit_for(settings, tenant)
    if limit is None:
        return None
    return limit - await repository.bytes_used(session, tenant_id, except_asset=except_asset)


def ensure_fits(left: int | None, size: int, field: list[str] | None) -> None:
    if left is not None and size > left:
        raise QuotaExceeded(f"storing {size} bytes would exceed the account's storage quota "
                            f"({max(left, 0)} bytes left)", field=field)


async def require(uow: UnitOfWork, settings, tenant_id: uuid.UUID, size: int, field: list[str] | None, *,
                  except_asset: uuid.UUID | None = None, lock: bool = False) -> None:
    ensure_fits(await room(uow, settings, tenant_id, except_asset=except_asset, lock=lock), size, field)


@dataclass(frozen=True)
class Abandoned:
    """A storage-side upload to abort once the rows that named it are committed."""

    key: str
    upload_id: str


async def close_abandoned(uow: UnitOfWork, *, started_before: datetime, limit: int) -> list[Abandoned]:
    """Uploads begun before the cutoff and never finished end here: an asset that never got its file fails (its
    reservation of quota goes with it), branding media keeps its previous file or fails. The caller aborts the
    returned uploads in storage after the commit, outside any transaction; an assembled original is tombstoned."""
    closed = []
    for asset in await repository.abandoned_assets(uow.session, started_before, limit):
        closed.append(Abandoned(asset.upload_key, asset.upload_id))
        # Its parts may have been assembled by a finish that crashed before recording them: that object goes too.
        tombstones.bury(uow, None, asset.upload_key, tenant_id=asset.tenant_id)
        asset.status = ASSET_FAILED
        asset.upload_id = asset.upload_key = asset.upload_parts = asset.upload_size = asset.upload_started_at = None
    for media in await repository.abandoned_media(uow.session, started_before, limit - len(closed)):
        closed.append(Abandoned(media.upload_key, media.upload_id))
        media.status = MEDIA_READY if media.file_key else MEDIA_FAILED
        media.error_code = ErrorCode.UPLOAD_EXPIRED.value
        media.error_message = "the upload was not finished in time and was aborted; start a new one"
        media.upload_id = media.upload_key = media.upload_parts = media.upload_started_at = None
    await uow.session.flush()
    return closed


async def unnamed(sessionmaker, staged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The staged (key, upload id) pairs no row names: only those are orphans. A row's own upload ends by its TTL
    (close_abandoned), never by the storage's idea of its age (moto, and stores with a skewed clock, date every
    upload in the past)."""
    async with UnitOfWork(sessionmaker) as uow:
        named = await repository.named_uploads(uow.session, [upload_id for _, upload_id in staged])
    return [(key, upload_id) for key, upload_id in staged if upload_id not in named]


async def end_transaction(uow: UnitOfWork) -> None:
    """Close the caller's transaction (read-only so far) before a storage call, so no write transaction is open
    across it (SQLite holds one writer); the next statement begins a new one, and rows are read again there."""
    await uow.commit()
    uow.session.expire_all()

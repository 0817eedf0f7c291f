"""Tombstoning: a deletion writes one row per storage key in its own transaction, and storage is called only after
it commits (never inside a write transaction). The rows are worked off right after commit and, whatever failed or
crashed there, by the reconciler's sweeps: a deleted object's files go once its rows are gone, never before."""
from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from domain.db import UnitOfWork, utcnow
from domain.errors import DomainError, ErrorCode
from domain.jobs import lifecycle
from domain.jobs.models import CANCELLED
from domain.ports import Ports
from domain.tombstones import repository
from domain.tombstones.models import StorageTombstone

log = logging.getLogger(__name__)

LEASE_S = 600  # a claimed tombstone nobody settled (its process died) is due again after this


def bury(uow: UnitOfWork, ports: Ports | None, key: str, *, tenant_id: uuid.UUID | None = None,
         upload_id: str | None = None) -> StorageTombstone:
    """Tombstone one key, prefix ("…/") or unfinished upload in the caller's transaction. With `ports`, the
    storage call is also tried once right after the commit (so a deleted file's URL stops working at once); the
    reconciler takes whatever that attempt left."""
    row = StorageTombstone(id=uuid.uuid4(), tenant_id=tenant_id, key=key, upload_id=upload_id, due_at=utcnow())
    repository.add(uow.session, row)
    if ports is not None:
        maker = _sessionmaker(uow)
        uow.after_commit(lambda: remove(maker, ports, ids=[row.id]))
    return row


def _sessionmaker(uow: UnitOfWork):
    return getattr(uow, "sessionmaker", None) or uow._sessionmaker


async def bury_asset(uow: UnitOfWork, ports: Ports | None, asset, prefix: str) -> None:
    """Everything an asset has in storage: its prefix, every stored key outside it, its unfinished upload."""
    bury(uow, ports, prefix, tenant_id=asset.tenant_id)
    for key in await repository.asset_keys(uow.session, asset.id):
        if not key.startswith(prefix):
            bury(uow, ports, key, tenant_id=asset.tenant_id)
    if asset.upload_id:
        bury(uow, ports, asset.upload_key, tenant_id=asset.tenant_id, upload_id=asset.upload_id)


async def active_jobs(session, tenant_id: uuid.UUID, asset_id: uuid.UUID):
    """The asset's queued and running jobs: its deletion cancels them."""
    return await repository.active_for_asset(session, tenant_id, asset_id)


async def _apply(ports: Ports, row: StorageTombstone) -> None:
    storage = ports.storage
    if row.upload_id:
        await storage.abort_multipart(row.key, row.upload_id)
    elif row.key.endswith("/"):
        await storage.delete_prefix(row.key)
    else:
        await storage.delete(row.key)


def retry_after(attempts: int, base_s: float) -> timedelta:
    """Backoff between failed attempts: base, 2×base, 4×base… up to an hour."""
    return timedelta(seconds=min(base_s * 2 ** max(attempts - 1, 0), 3600))


async def remove(sessionmaker, ports: Ports, *, ids: list[uuid.UUID] | None = None, limit: int = 100,
                 now=None) -> tuple[int, int]:
    """Claim due tombstones (short transaction), call storage with no transaction open, then settle the ones done
    and postpone the ones that failed (short transaction). Returns (removed, failed)."""
    if ids is not None and not ids:
        return 0, 0
    now = now or utcnow()
    async with UnitOfWork(sessionmaker) as uow:
        rows = await repository.claim(uow.session, now, now + timedelta(seconds=LEASE_S),
                                      len(ids) if ids is not None else limit, ids)
    done, failed = [], []
    for row in rows:
        try:
            await _apply(ports, row)
            done.append(row.id)
        except Exception as exc:  # kept for the next sweep, with the reason
            log.warning("removing %s from storage failed (attempt %d)", row.key, row.attempts, exc_info=True)
            failed.append((row, f"{type(exc).__name__}: {exc}"))
    if not rows:
        return 0, 0
    base = getattr(ports.settings, "reconcile_retry_s", 60)
    async with UnitOfWork(sessionmaker) as uow:
        await repository.settle(uow.session, done)
        for row, error in failed:
            await repository.postpone(uow.session, row.id, now + retry_after(row.attempts, base), error)
    return len(done), len(failed)


# What a job's input names, and the row that must still exist for the job to mean anything.
_OWNERS = (("asset_id", repository.ASSET), ("clip_id", repository.CLIP), ("media_id", repository.MEDIA))


async def end_orphaned_jobs(uow: UnitOfWork, ports: Ports, *, limit: int = 100) -> int:
    """Cancel queued or running jobs whose asset, clip or branding media is gone (a running one stops at its next
    step, and a completion that finds its row gone tombstones what it wrote). Returns how many it cancelled."""
    jobs = await repository.active_without_asset(uow.session, limit)
    missing: set[uuid.UUID] = set()
    for name, model in _OWNERS:
        named = {ident for job in jobs if (ident := _id((job.input or {}).get(name))) is not None}
        missing |= named - await repository.existing(uow.session, model, list(named))
    ended = 0
    for job in jobs:
        gone = [name for name, _ in _OWNERS if _id((job.input or {}).get(name)) in missing]
        if gone:
            what = gone[0].removesuffix("_id").replace("media", "branding media")
            await lifecycle.change(uow, ports, job, status=CANCELLED,
                                   error=DomainError(f"its {what} was deleted", code=ErrorCode.CANCELLED))
            ended += 1
    return ended


def _id(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None

"""Every SQL statement about storage tombstones, and the reads that find what a deletion leaves in storage."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.assets.models import Asset, StoredFile
from domain.brandings.models import BrandingMedia
from domain.clips.models import Clip
from domain.jobs.models import QUEUED, RUNNING, Job
from domain.tombstones.models import StorageTombstone


def add(session: AsyncSession, row: StorageTombstone) -> None:
    session.add(row)


async def claim(session: AsyncSession, now: datetime, lease_until: datetime, limit: int,
                ids: Sequence[uuid.UUID] | None = None) -> list[StorageTombstone]:
    """Due tombstones (or the given ones, if due), leased to the caller until `lease_until`: another process
    skips them meanwhile, and one the caller never settles (it crashed) is due again when the lease ends."""
    query = sa.select(StorageTombstone).where(StorageTombstone.due_at <= now)
    if ids is not None:
        query = query.where(StorageTombstone.id.in_(ids))
    query = query.order_by(StorageTombstone.due_at).limit(limit).with_for_update(skip_locked=True)
    rows = list((await session.execute(query)).scalars())
    for row in rows:
        row.due_at, row.attempts = lease_until, row.attempts + 1
    await session.flush()
    return rows


async def settle(session: AsyncSession, done: Sequence[uuid.UUID]) -> None:
    if done:
        await session.execute(sa.delete(StorageTombstone).where(StorageTombstone.id.in_(done))
                              .execution_options(synchronize_session=False))


async def postpone(session: AsyncSession, ident: uuid.UUID, due_at: datetime, error: str) -> None:
    await session.execute(sa.update(StorageTombstone).where(StorageTombstone.id == ident)
                          .values(due_at=due_at, last_error=error[:2000]).execution_options(synchronize_session=False))


async def pending(session: AsyncSession, tenant_id: uuid.UUID | None = None) -> list[StorageTombstone]:
    query = sa.select(StorageTombstone).order_by(StorageTombstone.created_at)
    if tenant_id is not None:
        query = query.where(StorageTombstone.tenant_id == tenant_id)
    return list((await session.execute(query)).scalars())


async def asset_keys(session: AsyncSession, asset_id: uuid.UUID) -> list[str]:
    """Every stored key of an asset: its files and its rendered clips (most lie under its prefix; some do not)."""
    files = sa.select(StoredFile.key).where(StoredFile.asset_id == asset_id)
    clips = sa.select(Clip.file_key).where(Clip.asset_id == asset_id, Clip.file_key.is_not(None))
    return [key for key in (await session.execute(files.union(clips))).scalars() if key]


async def active_for_asset(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> list[Job]:
    """The asset's queued and running jobs, locked for the deleting transaction: a worker's step committing meanwhile
    is waited for and read fresh, so the cancel's compare-and-set holds. The asset row is locked first, the order a
    worker's completion takes (outputs naming the asset, then the job), so the two cannot deadlock."""
    await session.execute(sa.select(Asset.id).where(Asset.id == asset_id).with_for_update())
    query = (sa.select(Job).where(Job.tenant_id == tenant_id, Job.asset_id == asset_id,
                                  Job.status.in_((QUEUED, RUNNING)))
             .order_by(Job.id).with_for_update().execution_options(populate_existing=True))
    return list((await session.execute(query)).scalars())


async def active_without_asset(session: AsyncSession, limit: int) -> list[Job]:
    """Queued or running jobs whose asset link is gone (an asset's deletion nulls it), oldest first."""
    query = (sa.select(Job).where(Job.status.in_((QUEUED, RUNNING)), Job.asset_id.is_(None))
             .order_by(Job.created_at).limit(limit)
             # A row a worker is writing right now is skipped (the next sweep takes it), never overwritten.
             .with_for_update(skip_locked=True))
    return list((await session.execute(query)).scalars())


async def existing(session: AsyncSession, model, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    if not ids:
        return set()
    return set((await session.execute(sa.select(model.id).where(model.id.in_(ids)))).scalars())


ASSET, CLIP, MEDIA = Asset, Clip, BrandingMedia

"""Every SQL statement about a tenant's stored bytes and about uploads left unfinished."""
from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.assets.models import UPLOADING, Asset, StoredFile
from domain.brandings.models import BrandingMedia
from domain.clips.models import Clip
from domain.tenancy.models import Tenant


async def lock_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant | None:
    """The tenant row, locked to the end of the transaction: concurrent quota checks of one tenant take turns
    (PostgreSQL; SQLite's writers are serialised already)."""
    query = sa.select(Tenant).where(Tenant.id == tenant_id).with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def bytes_used(session: AsyncSession, tenant_id: uuid.UUID, *, except_asset: uuid.UUID | None = None) -> int:
    """Stored files (originals and every derived file), rendered clips, branding media, and the declared sizes
    of uploads in progress (reserved until they finish or are swept); `except_asset`'s reservation is left out."""
    pending = sa.select(sa.func.coalesce(sa.func.sum(Asset.upload_size), 0)).where(
        Asset.tenant_id == tenant_id, Asset.upload_id.is_not(None))
    if except_asset is not None:
        pending = pending.where(Asset.id != except_asset)
    parts = [
        sa.select(sa.func.coalesce(sa.func.sum(StoredFile.size), 0)).where(StoredFile.tenant_id == tenant_id),
        sa.select(sa.func.coalesce(sa.func.sum(Clip.size), 0)).where(Clip.tenant_id == tenant_id),
        sa.select(sa.func.coalesce(sa.func.sum(BrandingMedia.size), 0)).where(BrandingMedia.tenant_id == tenant_id),
        pending,
    ]
    query = sa.select(*(part.scalar_subquery() for part in parts))
    return int(sum((await session.execute(query)).one()))


async def abandoned_assets(session: AsyncSession, started_before: datetime, limit: int) -> list[Asset]:
    """Assets whose upload began before the cutoff and never finished; rows another sweeper holds are skipped."""
    query = (sa.select(Asset)
             .where(Asset.status == UPLOADING, Asset.upload_id.is_not(None), Asset.upload_started_at < started_before)
             .order_by(Asset.upload_started_at).limit(limit).with_for_update(skip_locked=True))
    return list((await session.execute(query)).scalars())


async def abandoned_media(session: AsyncSession, started_before: datetime, limit: int) -> list[BrandingMedia]:
    query = (sa.select(BrandingMedia)
             .where(BrandingMedia.upload_id.is_not(None), BrandingMedia.upload_started_at < started_before)
             .order_by(BrandingMedia.upload_started_at).limit(limit).with_for_update(skip_locked=True))
    return list((await session.execute(query)).scalars())


async def named_uploads(session: AsyncSession, upload_ids: list[str]) -> set[str]:
    """Which of these storage upload ids a row still names (an asset's or branding media's upload in progress)."""
    if not upload_ids:
        return set()
    assets = sa.select(Asset.upload_id).where(Asset.upload_id.in_(upload_ids))
    media = sa.select(BrandingMedia.upload_id).where(BrandingMedia.upload_id.in_(upload_ids))
    return set((await session.execute(assets.union(media))).scalars())

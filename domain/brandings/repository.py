"""Every SQL statement about subtitle styles, branding media, brandings and their variants."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain import scoped
from domain.brandings.models import BrandingMedia, BrandingVariant
from domain.pagination import Cursor


def add(session: AsyncSession, obj) -> None:
    session.add(obj)


async def get(session: AsyncSession, model, tenant_id: uuid.UUID, ident: uuid.UUID, kind: str | None = None):
    return await scoped.get(session, model, tenant_id, ident, kind=kind)


async def get_unscoped(session: AsyncSession, model, ident: uuid.UUID):
    return await session.get(model, ident)


async def page(session: AsyncSession, model, tenant_id: uuid.UUID, *, limit: int, offset: int,
               after: Cursor | None = None, kind: str | None = None,
               branding_id: uuid.UUID | None = None) -> tuple[list, bool, int]:
    return await scoped.page(session, model, tenant_id, limit=limit, offset=offset, after=after, kind=kind,
                             branding_id=branding_id)


async def variants_of(session: AsyncSession, tenant_id: uuid.UUID,
                      branding_ids: Sequence[uuid.UUID]) -> list[BrandingVariant]:
    query = sa.select(BrandingVariant).where(BrandingVariant.tenant_id == tenant_id,
                                             BrandingVariant.branding_id.in_(branding_ids))
    return list((await session.execute(query.order_by(BrandingVariant.aspect_ratio))).scalars())


async def variant_for(session: AsyncSession, branding_id: uuid.UUID, ratio: str) -> BrandingVariant | None:
    query = sa.select(BrandingVariant).where(BrandingVariant.branding_id == branding_id,
                                             BrandingVariant.aspect_ratio == ratio)
    with session.no_autoflush:  # a variant changing to this ratio must not be written before it is checked
        return (await session.execute(query)).scalar_one_or_none()


async def variants_using(session: AsyncSession, tenant_id: uuid.UUID, media_id: uuid.UUID) -> list[BrandingVariant]:
    query = sa.select(BrandingVariant).where(BrandingVariant.tenant_id == tenant_id, sa.or_(
        BrandingVariant.overlay_id == media_id, BrandingVariant.intro_id == media_id,
        BrandingVariant.outro_id == media_id))
    return list((await session.execute(query)).scalars())


async def media_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[BrandingMedia]:
    if not ids:
        return []
    return list((await session.execute(sa.select(BrandingMedia).where(BrandingMedia.id.in_(ids)))).scalars())


async def delete(session: AsyncSession, obj) -> None:
    await session.delete(obj)

"""Every SQL statement about subtitle styles, branding media, brandings and their variants."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.brandings.models import Branding, BrandingMedia, BrandingVariant


def add(session: AsyncSession, obj) -> None:
    session.add(obj)


async def get(session: AsyncSession, model, tenant_id: uuid.UUID, ident: uuid.UUID, kind: str | None = None):
    query = sa.select(model).where(model.tenant_id == tenant_id, model.id == ident)
    if kind is not None:
        query = query.where(model.kind == kind)
    return (await session.execute(query)).scalar_one_or_none()


async def get_unscoped(session: AsyncSession, model, ident: uuid.UUID):
    return await session.get(model, ident)


async def page(session: AsyncSession, model, tenant_id: uuid.UUID, *, limit: int, offset: int,
               kind: str | None = None, branding_id: uuid.UUID | None = None) -> tuple[list, int]:
    base = sa.select(model).where(model.tenant_id == tenant_id)
    if kind is not None:
        base = base.where(model.kind == kind)
    if branding_id is not None:
        base = base.where(model.branding_id == branding_id)
    total = (await session.execute(sa.select(sa.func.count()).select_from(base.subquery()))).scalar_one()
    rows = await session.execute(base.order_by(model.created_at.desc(), model.id.desc()).offset(offset).limit(limit))
    return list(rows.scalars()), total


async def variant_for(session: AsyncSession, branding_id: uuid.UUID, ratio: str) -> BrandingVariant | None:
    query = sa.select(BrandingVariant).where(BrandingVariant.branding_id == branding_id,
                                             BrandingVariant.aspect_ratio == ratio)
    return (await session.execute(query)).scalar_one_or_none()


async def variants_using(session: AsyncSession, tenant_id: uuid.UUID, media_id: uuid.UUID) -> list[BrandingVariant]:
    query = sa.select(BrandingVariant).where(BrandingVariant.tenant_id == tenant_id, sa.or_(
        BrandingVariant.overlay_id == media_id, BrandingVariant.intro_id == media_id,
        BrandingVariant.outro_id == media_id))
    return list((await session.execute(query)).scalars())


async def brandings_using_style(session: AsyncSession, tenant_id: uuid.UUID, style_id: uuid.UUID) -> list[Branding]:
    query = sa.select(Branding).where(Branding.tenant_id == tenant_id, Branding.subtitle_style_id == style_id)
    return list((await session.execute(query)).scalars())


async def media_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[BrandingMedia]:
    if not ids:
        return []
    return list((await session.execute(sa.select(BrandingMedia).where(BrandingMedia.id.in_(ids)))).scalars())


async def delete(session: AsyncSession, obj) -> None:
    await session.delete(obj)

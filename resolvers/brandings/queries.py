"""Branding queries: one style, media, branding or variant, and their pages."""
from __future__ import annotations

from domain.brandings import service
from resolvers.payloads import PageView


async def one(info, kind: str, ident: str):
    ctx = info.context
    return await service.get(ctx.uow, ctx.require_viewer(), kind, ident)


async def variant(info, branding_id: str, ident: str):
    ctx = info.context
    return await service.get_variant(ctx.uow, ctx.require_viewer(), branding_id, ident)


async def many(info, kind: str, first: int | None, offset: int, branding_id: str | None = None) -> PageView:
    ctx = info.context
    return PageView(*await service.page(ctx.uow, ctx.require_viewer(), kind, first, offset, branding_id))

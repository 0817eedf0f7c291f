"""Branding queries: one style, media, branding or variant, and their pages."""
from __future__ import annotations

from domain.brandings import service
from resolvers.payloads import Connection, connection


async def _one(info, kind: service.Kind, ident: str):
    ctx = info.context
    return await service.get(ctx.uow, ctx.require_viewer(), kind, ident)


async def subtitle_style(info, ident: str):
    return await _one(info, service.Kind.SUBTITLE_STYLE, ident)


async def media(info, kind, ident: str):
    """`kind` is the schema's BrandingMediaKind: its values are the domain's media kinds."""
    return await _one(info, service.Kind(kind.value), ident)


async def branding(info, ident: str):
    return await _one(info, service.Kind.BRANDING, ident)


async def variant(info, branding_id: str, ident: str):
    ctx = info.context
    return await service.get_variant(ctx.uow, ctx.require_viewer(), branding_id, ident)


async def many(info, kind: str, first: int | None, after: str | None, offset: int,
               branding_id: str | None = None) -> Connection:
    ctx = info.context
    return connection(await service.page(ctx.uow, ctx.require_viewer(), kind, first, after, offset, branding_id))

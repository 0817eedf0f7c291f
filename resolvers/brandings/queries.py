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


async def _many(info, kind: service.Kind, first: int | None, after: str | None, offset: int,
                branding_id: str | None = None) -> Connection:
    ctx = info.context
    return connection(await service.page(ctx.uow, ctx.require_viewer(), kind, first, after, offset, branding_id))


async def subtitle_styles(info, first: int | None, after: str | None, offset: int) -> Connection:
    return await _many(info, service.Kind.SUBTITLE_STYLE, first, after, offset)


async def media_list(info, kind, first: int | None, after: str | None, offset: int) -> Connection:
    """`kind` is the schema's BrandingMediaKind: its values are the domain's media kinds."""
    return await _many(info, service.Kind(kind.value), first, after, offset)


async def brandings(info, first: int | None, after: str | None, offset: int) -> Connection:
    return await _many(info, service.Kind.BRANDING, first, after, offset)


async def variants(info, branding_id: str, first: int | None, after: str | None, offset: int) -> Connection:
    return await _many(info, service.Kind.VARIANT, first, after, offset, branding_id)

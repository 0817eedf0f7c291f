"""Collection and view queries."""
from __future__ import annotations

from domain.catalog import service
from domain.catalog.models import Collection, View
from resolvers.payloads import Connection, connection


async def _one(info, model, ident: str):
    ctx = info.context
    return await service.get(ctx.uow, ctx.require_viewer(), model, ident)


async def _many(info, model, first: int | None, after: str | None, offset: int) -> Connection:
    ctx = info.context
    return connection(await service.page(ctx.uow, ctx.require_viewer(), model, first, after, offset))


async def collection(info, ident: str):
    return await _one(info, Collection, ident)


async def collections(info, first: int | None, after: str | None, offset: int) -> Connection:
    return await _many(info, Collection, first, after, offset)


async def view(info, ident: str):
    return await _one(info, View, ident)


async def views(info, first: int | None, after: str | None, offset: int) -> Connection:
    return await _many(info, View, first, after, offset)

"""Template, word list and dictionary queries."""
from __future__ import annotations

from domain.templates import service
from resolvers.payloads import PageView


async def one(info, kind: str, ident: str):
    ctx = info.context
    return await service.get(ctx.uow, ctx.require_viewer(), kind, ident)


async def many(info, kind: str, first: int | None, offset: int) -> PageView:
    ctx = info.context
    items, total = await service.page(ctx.uow, ctx.require_viewer(), kind, first, offset)
    return PageView(items, total)

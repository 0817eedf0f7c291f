"""Template, word list and dictionary queries."""
from __future__ import annotations

from domain.templates import service
from resolvers.payloads import Connection, connection


async def _one(info, kind: service.Kind, ident: str):
    ctx = info.context
    return await service.get(ctx.uow, ctx.require_viewer(), kind, ident)


async def template(info, ident: str):
    return await _one(info, service.Kind.TEMPLATE, ident)


async def word_list(info, kind, ident: str):
    """`kind` is the schema's WordListKind: its values are the domain's word-list kinds."""
    return await _one(info, service.Kind(kind.value), ident)


async def dictionary(info, ident: str):
    return await _one(info, service.Kind.DICTIONARY, ident)


async def many(info, kind: str, first: int | None, after: str | None, offset: int) -> Connection:
    ctx = info.context
    return connection(await service.page(ctx.uow, ctx.require_viewer(), kind, first, after, offset))

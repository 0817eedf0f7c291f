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


async def _many(info, kind: service.Kind, first: int | None, after: str | None, offset: int) -> Connection:
    ctx = info.context
    return connection(await service.page(ctx.uow, ctx.require_viewer(), kind, first, after, offset))


async def templates(info, first: int | None, after: str | None, offset: int) -> Connection:
    return await _many(info, service.Kind.TEMPLATE, first, after, offset)


async def word_lists(info, kind, first: int | None, after: str | None, offset: int) -> Connection:
    """`kind` is the schema's WordListKind: its values are the domain's word-list kinds."""
    return await _many(info, service.Kind(kind.value), first, after, offset)


async def dictionaries(info, first: int | None, after: str | None, offset: int) -> Connection:
    return await _many(info, service.Kind.DICTIONARY, first, after, offset)

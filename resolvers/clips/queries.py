"""Clip and external-storage queries."""
from __future__ import annotations

from domain.clips import service as clips
from domain.exports import service as exports
from resolvers.payloads import Connection, connection


async def clip(info, ident: str, asset_id: str | None):
    ctx = info.context
    return await clips.get(ctx.uow, ctx.require_viewer(), ident, asset_id)


async def clip_page(info, asset_id: str, first: int | None, after: str | None, offset: int) -> Connection:
    ctx = info.context
    return connection(await clips.page(ctx.uow, ctx.require_viewer(), asset_id, first, after, offset))


async def ready_clips(info, asset_id: str, clip_ids: list[str]):
    ctx = info.context
    return await clips.ready_clips(ctx.uow, ctx.require_viewer(), asset_id, [str(i) for i in clip_ids])


async def storage(info, ident: str, admin: bool = False):
    ctx = info.context
    return await exports.get(ctx.uow, ctx.require_viewer(), ident, admin=admin)


async def storage_page(info, first: int | None, after: str | None, offset: int, admin: bool = False) -> Connection:
    ctx = info.context
    return connection(await exports.page(ctx.uow, ctx.require_viewer(), first, after, offset, admin=admin))

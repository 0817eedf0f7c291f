"""Search query: the request to the domain, its hits back as they are."""
from __future__ import annotations

from domain.search import service


async def search(info, query, asset_id, max_results, mode):
    ctx = info.context
    return await service.search(ctx.uow, ctx.require_viewer(), service.SearchRequest(
        query=query, asset_id=str(asset_id) if asset_id else None, max_results=max_results, mode=mode.value))

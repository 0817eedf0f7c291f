"""Generation queries: generation jobs, variants, scores, AI health and the AI operations log."""
from __future__ import annotations

from types import SimpleNamespace

from domain.variants import service
from resolvers.payloads import connection


async def generation_job(info, id: str):
    ctx = info.context
    return await service.job(ctx.uow, ctx.require_viewer(), id)


async def variant(info, variant_id: str):
    ctx = info.context
    return await service.get_variant(ctx.uow, ctx.require_viewer(), variant_id)


async def variant_score(info, variant_id: str, compare_to: str, method: str | None):
    ctx = info.context
    return SimpleNamespace(**await service.score(ctx.uow, ctx.require_viewer(), variant_id, compare_to, method))


async def ai_health(info):
    ctx = info.context
    ctx.require_viewer()
    rows = await service.health(ctx.ports)
    down = [r for r in rows if r["configured"] and not r["reachable"]]
    return SimpleNamespace(status="degraded" if down else "ok", providers=[SimpleNamespace(**r) for r in rows])


async def ai_timeline(info, first, after):
    ctx = info.context
    return connection(await service.timeline(ctx.uow, ctx.require_viewer(), first=first, after=after))

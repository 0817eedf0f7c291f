"""The search_index job: an asset's transcripts, on-screen text and metadata into search chunks. Reads in one
transaction, embeds only texts no chunk has yet (outside any transaction: the model takes a while), writes in a
second one that re-checks what changed meanwhile."""
from __future__ import annotations

import asyncio

from domain.search import service as search
from workers.engines import embeddings  # noqa: F401  (installs the sentence encoder search uses)
from workers.runner import JobContext, handles


@handles("search_index")
async def search_index(ctx: JobContext) -> None:
    tenant_id, asset_id = ctx.job.tenant_id, ctx.job.asset_id
    await ctx.progress(5, stage="reading")
    async with ctx.uow() as uow:
        wanted = await search.drafts(uow, tenant_id, asset_id) or []
        known = await search.known_vectors(uow, tenant_id, asset_id)
    missing = {d.text_digest: d.text for d in wanted if d.text_digest not in known}
    await ctx.progress(20, stage="embedding")
    embedded = await asyncio.to_thread(search.embed, missing)
    await ctx.progress(90, stage="storing")
    async with ctx.uow() as uow:
        result = await search.apply(uow, tenant_id, asset_id, embedded)
        await ctx.complete(uow, result)  # not billed: indexing is part of having the media

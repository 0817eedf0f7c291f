"""Media-analysis queries: results of an asset, MetaVision categories, prices, usage and past requests."""
from __future__ import annotations

from domain.analysis import billing, metavision, service
from domain.jobs import service as jobs
from domain.webhooks import results
from resolvers.payloads import connection


async def items(info, asset_id, kind):
    ctx = info.context
    return await service.items(ctx.uow, ctx.require_viewer(), str(asset_id), kind.value)


async def item(info, asset_id, kind, item_id):
    ctx = info.context
    return await service.item(ctx.uow, ctx.require_viewer(), str(asset_id), kind.value, str(item_id))


def categories(info):
    info.context.require_viewer()
    return metavision.catalog(info.context.ports.registry)


def prices(info):
    info.context.require_viewer()
    return billing.prices()


async def balance(info, since, until):
    ctx = info.context
    return await billing.balance(ctx.uow, ctx.require_viewer(), since, until)


async def requests(info, first, after, offset, status, media_type, since, until):
    ctx = info.context
    page = await billing.requests(ctx.uow, ctx.require_viewer(), first=first, after=after, offset=offset,
                                  status=status, media_type=media_type, since=since, until=until)
    return connection(page)


async def result_document(info, job_id, kind=None):
    """Read first, then the transcript file is stored and the links signed, as webhook deliveries do."""
    ctx = info.context
    job = await jobs.get(ctx.uow, ctx.require_viewer(), str(job_id), getattr(kind, "value", kind))
    if job.status != "completed":
        return None
    pending = await results.gather(ctx.uow.session, job, with_content=True)
    return await results.finish(ctx.ports.storage, pending) if pending is not None else None

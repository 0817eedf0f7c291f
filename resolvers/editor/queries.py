"""Editor queries: a project, the tenant's projects, one timeline segment."""
from __future__ import annotations

from domain.editor import service as editor
from domain.editor import timeline
from domain.errors import DomainError
from resolvers.payloads import Connection, connection


async def project(info, ident: str):
    ctx = info.context
    viewer = ctx.require_viewer()
    uow = ctx.new_uow()
    try:  # an upload that has landed is finished (and probed) as the project is read: see settle_upload
        await editor.settle_upload(uow, ctx.ports, viewer, ident)
        await uow.commit()
    except DomainError:
        await uow.rollback()  # not found (answered below), or a concurrent read finished it first
    finally:
        await uow.close()
    return await editor.get_project(ctx.uow, viewer, ident, ["id"])


async def project_page(info, first: int | None, after: str | None, offset: int) -> Connection:
    ctx = info.context
    return connection(await editor.project_page(ctx.uow, ctx.require_viewer(), first, after, offset))


async def segment(info, ident: str):
    ctx = info.context
    return await timeline.get_segment(ctx.uow, ctx.require_viewer().tenant_id, ident, active=False)

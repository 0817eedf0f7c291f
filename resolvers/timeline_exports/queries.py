"""Export queries: one export, and the timeline as an interchange file."""
from __future__ import annotations

from domain.timeline_exports import service as exports


async def timeline_export(info, ident: str):
    ctx = info.context
    return await exports.get(ctx.uow, ctx.require_viewer(), ident)


async def interchange(info, project_id: str, fmt: str):
    ctx = info.context
    return await exports.interchange(ctx.uow, ctx.ports, ctx.require_viewer(), str(project_id), fmt)

"""Transcript queries."""
from __future__ import annotations

from domain.transcripts import service


async def transcription(info, id: str, asset_id: str | None):
    ctx = info.context
    return await service.get(ctx.uow, ctx.require_viewer(), id, asset_id)

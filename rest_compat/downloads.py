"""Streaming rendered clips to a REST caller: one clip as the mp4 itself, several as a zip written as it is sent."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

from litestar import Response
from litestar.response import Stream

from domain.clips import service as clips
from domain.db import UnitOfWork
from domain.storage import zips

CHUNK = 1 << 20


async def _read(path) -> AsyncIterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := await asyncio.to_thread(handle.read, CHUNK):
            yield chunk


async def _clip_bytes(call, asset_id: str, clip_ids: list[str]) -> AsyncIterator[bytes]:
    """The clips were checked (all ready) by the row's query a moment ago; here their files are opened and sent."""
    state = call.state
    async with UnitOfWork(state.sessionmaker) as uow:
        files = [(c.file_key, clips.filename(c)) for c in await clips.ready_clips(uow, call.viewer, asset_id, clip_ids)]
    async with AsyncExitStack() as stack:
        local = [(await stack.enter_async_context(state.ports.storage.local_copy(key)), name) for key, name in files]
        if len(local) == 1:
            async for chunk in _read(local[0][0]):
                yield chunk
            return
        archive = iter(zips.archive(local))
        while chunk := await asyncio.to_thread(next, archive, b""):
            yield chunk


def clip_download(found: list[dict], call) -> Response:
    ids = [c["id"] for c in found]
    asset_id = call.path["asset_id"]
    if len(ids) == 1:
        return Stream(_clip_bytes(call, asset_id, ids), media_type="video/mp4",
                      headers={"Content-Disposition": f'attachment; filename="clip-{ids[0]}.mp4"',
                               "Content-Length": str(found[0]["size"])})
    return Stream(_clip_bytes(call, asset_id, ids), media_type="application/zip",
                  headers={"Content-Disposition": f'attachment; filename="clips-{asset_id}.zip"'})

"""Fields of Project and TimelineSegment: the timeline (batched per request), the source's status, signed URLs."""
from __future__ import annotations

from strawberry.dataloader import DataLoader

from domain.editor import loaders
from domain.editor import service as editor
from resolvers.links import expiry_seconds


def _timelines(info) -> DataLoader:
    """One loader per operation, kept on its loaders object (created with the read transaction)."""
    ctx = info.context
    holder = ctx.loaders
    loader = getattr(holder, "editor_timelines", None)
    if loader is None:
        uow, viewer = ctx.uow, ctx.require_viewer()

        async def load(keys):
            return await loaders.timelines_by_project(uow.session, viewer.tenant_id, keys)

        loader = holder.editor_timelines = DataLoader(load_fn=load)
    return loader


async def timeline(root, info) -> list:
    return await _timelines(info).load(root.id)


async def asset(root, info):
    return await info.context.loaders.asset.load(root.asset_id) if root.asset_id else None


async def status(root, info) -> str:
    return editor.status_of(await asset(root, info))


async def duration(root, info) -> float:
    return round(sum(s.end_ms - s.start_ms for s in await timeline(root, info)) / 1000, 3)


async def segment_url(root, info, expires_in: int | None) -> str | None:
    """The file the segment plays: its own render, or the source's original (played from start_ts to end_ts)."""
    expires = expiry_seconds(expires_in)
    storage = info.context.ports.storage
    if root.file_key:
        return await storage.signed_url(root.file_key, expires, content_type="video/mp4")
    source = await info.context.loaders.asset.load(root.asset_id) if root.asset_id else None
    if source is None or source.original_file_id is None:
        return None
    original = await info.context.loaders.file.load(source.original_file_id)
    return await storage.signed_url(original.key, expires, filename=original.filename,
                                    content_type=original.content_type) if original else None

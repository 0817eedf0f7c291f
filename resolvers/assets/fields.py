"""Fields of Asset, StoredFile and AudioTrack, batched through the request's dataloaders."""
from __future__ import annotations

from strawberry import Info

from domain.pagination import slice_page
from resolvers.links import expiry_seconds
from resolvers.payloads import connection


async def _file(info, file_id):
    return await info.context.loaders.file.load(file_id) if file_id else None


async def original(root, info: Info):
    return await _file(info, root.original_file_id)


async def thumbnail(root, info: Info):
    return await _file(info, root.thumbnail_file_id)


async def waveform(root, info: Info):
    return await _file(info, root.waveform_file_id)


async def audio_tracks(root, info: Info):
    return await info.context.loaders.tracks_by_asset.load(root.id)


async def track_file(root, info: Info):
    return await _file(info, root.file_id)


async def file_url(root, info: Info, expires_in: int = 3600):
    expires = expiry_seconds(expires_in)
    return await info.context.ports.storage.signed_url(root.key, expires, filename=root.filename,
                                                       content_type=root.content_type)


async def jobs(root, info: Info, first: int | None, after: str | None, kinds: list[str] | None):
    """All of an asset's jobs come from one batched query; paging happens on that list."""
    items = await info.context.loaders.jobs_by_asset.load(root.id)
    if kinds:
        items = [job for job in items if job.kind in kinds]
    return connection(slice_page(items, first, after))

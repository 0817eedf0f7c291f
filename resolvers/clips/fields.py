"""Fields of Clip and ExternalStorage: signed URL, render job, the shown external id."""
from __future__ import annotations

from strawberry import Info

from domain.clips import service as clips
from domain.exports import service as exports
from domain.pagination import slice_page
from resolvers.links import expiry_seconds
from resolvers.payloads import connection


async def clip_url(root, info, expires_in: int) -> str | None:
    if not root.file_key or root.status != "ready":
        return None
    expires = expiry_seconds(expires_in)
    return await info.context.ports.storage.signed_url(root.file_key, expires, filename=clips.filename(root),
                                                       content_type="video/mp4")


async def clips_of_asset(root, info: Info, first: int | None, after: str | None):
    """All of a page's assets' clips come from one batched query; paging happens on that list."""
    return connection(slice_page(await info.context.loaders.clips_by_asset.load(root.id), first, after, 16))


async def clip_job(root, info):
    return await info.context.loaders.job.load(root.job_id) if root.job_id else None


async def storage_external_id(root, info: Info) -> str | None:
    return await exports.shown_external_id(root, info.context.loaders.export_identity.load)

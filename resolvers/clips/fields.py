"""Fields of Clip and ExternalStorage: signed URL, render job, the shown external id."""
from __future__ import annotations

from strawberry import Info

from domain.clips import service as clips
from domain.exports import service as exports
from resolvers.links import expiry_seconds


async def clip_url(root, info, expires_in: int) -> str | None:
    if not root.file_key or root.status != "ready":
        return None
    expires = expiry_seconds(expires_in)
    return await info.context.ports.storage.signed_url(root.file_key, expires, filename=clips.filename(root),
                                                       content_type="video/mp4")


async def clip_job(root, info):
    return await info.context.loaders.job.load(root.job_id) if root.job_id else None


async def storage_external_id(root, info: Info) -> str | None:
    return await exports.shown_external_id(info.context.uow, root)

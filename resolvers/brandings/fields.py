"""Fields of Branding and BrandingMedia: a branding's variants, a media's signed URL."""
from __future__ import annotations

from domain.brandings import service
from resolvers.links import expiry_seconds


async def variants_of(root, info):
    ctx = info.context
    items, _ = await service.page(ctx.uow, ctx.require_viewer(), "variant", 100, 0, root.id)
    return sorted(items, key=lambda v: v.aspect_ratio)


async def media_url(root, info, expires_in: int) -> str | None:
    if not root.file_key:
        return None
    expires = expiry_seconds(expires_in)
    return await info.context.ports.storage.signed_url(root.file_key, expires, filename=root.filename,
                                                       content_type=root.content_type)

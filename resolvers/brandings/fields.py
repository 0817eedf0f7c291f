"""Fields of Branding and BrandingMedia: a branding's variants, a media's signed URL."""
from __future__ import annotations

from resolvers.links import expiry_seconds


async def variants_of(root, info):
    """Every listed branding's variants come from one batched query, ordered by aspect ratio."""
    return await info.context.loaders.variants_by_branding.load(root.id)


async def media_url(root, info, expires_in: int) -> str | None:
    if not root.file_key:
        return None
    expires = expiry_seconds(expires_in)
    return await info.context.ports.storage.signed_url(root.file_key, expires, filename=root.filename,
                                                       content_type=root.content_type)

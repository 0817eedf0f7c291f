"""Fields of TimelineExport: the document's status word, the error, and the file's signed URLs."""
from __future__ import annotations

from domain.timeline_exports import service as exports
from resolvers.links import expiry_seconds

status_word = exports.status_word
error_message = exports.error_message


async def urls(root, info, expires_in: int) -> tuple[str | None, str | None]:
    return await exports.urls(info.context.ports, root, expiry_seconds(expires_in))

"""The guarded downloader: the only code that fetches user-supplied media URLs (ffmpeg never does).

Streams to a file under a size cap and follows redirects by hand; every hop's host is resolved once, checked,
and connected to at that address (no second lookup for a rebinding DNS answer to slip into)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from domain import urls
from domain.errors import DomainError, ErrorCode, MediaUnreadable, PayloadTooLarge
from workers.engines import pinned

MAX_REDIRECTS = 5


async def fetch(url: str, dest: Path, *, max_bytes: int, allow_private: bool, headers: dict | None = None,
                resolver: urls.Resolver | None = None) -> int:
    """`headers` (a caller's credentials) go to the URL's own host only: a redirect elsewhere drops them."""
    origin = urlsplit(url).hostname
    pins = pinned.Pins(strict=True)
    async with pinned.http_client(pins, timeout=httpx.Timeout(120, connect=10)) as client:
        for _ in range(MAX_REDIRECTS + 1):
            pins.add(await urls.vet(url, allow_private=allow_private, field=["input", "url"], resolver=resolver))
            try:
                async with client.stream("GET", url, headers=headers) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        if urlsplit(url).hostname != origin:
                            headers = None
                        continue
                    if response.status_code >= 400:
                        raise MediaUnreadable(f"the media URL answered HTTP {response.status_code}")
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > max_bytes:
                        raise PayloadTooLarge(f"the media is larger than {max_bytes} bytes")
                    size = 0
                    with open(dest, "wb") as out:
                        async for chunk in response.aiter_bytes(1 << 20):
                            size += len(chunk)
                            if size > max_bytes:
                                raise PayloadTooLarge(f"the media is larger than {max_bytes} bytes")
                            out.write(chunk)
                    return size
            except httpx.HTTPError as exc:
                raise DomainError(f"cannot download the media: {type(exc).__name__}",
                                  code=ErrorCode.MEDIA_UNREADABLE) from exc
        raise MediaUnreadable("too many redirects")

"""Byte ranges for files the app serves from local storage: a media player seeks with `Range: bytes=a-b`."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from litestar import Response
from litestar.response import Stream

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 256 * 1024


def _slice(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(_CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def partial(path: Path, header: str | None, headers: dict[str, str]) -> Response | Stream | None:
    """206 with the one range asked (RFC 9110 §14), 416 for one past the end; None: serve the whole file.

    Without ranges Chromium cannot seek a <video> beyond what it has buffered. Several ranges in one request
    (multipart/byteranges) are answered with the whole file, which the RFC allows.
    """
    match = _RANGE.match((header or "").strip())
    if match is None or not any(match.groups()):
        return None
    size = path.stat().st_size
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:  # a suffix: the last N bytes
        start, end = max(0, size - int(last)), size - 1
    if start >= size or start > end:
        return Response(content=b"", status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    return Stream(_slice(path, start, end - start + 1), status_code=206, media_type=headers["Content-Type"],
                  headers={**headers, "Content-Range": f"bytes {start}-{end}/{size}",
                           "Content-Length": str(end - start + 1), "Accept-Ranges": "bytes"})

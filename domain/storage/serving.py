"""How stored files are served: the passive types a browser may show inline, everything else a download."""
from __future__ import annotations

from urllib.parse import quote

# A browser shows these with a media player or as a picture: nothing in them runs script on our origin.
# SVG is not here (it is a document that runs script); neither is anything an uploader could name.
PASSIVE = frozenset({
    "audio/aac", "audio/flac", "audio/mp4", "audio/mpeg", "audio/ogg", "audio/wav", "audio/webm", "audio/x-matroska",
    "video/mp2t", "video/mp4", "video/ogg", "video/quicktime", "video/webm", "video/x-matroska",
    "image/gif", "image/jpeg", "image/png", "image/webp",
})
# Subtitles and plain text show as text whatever their own type: no browser renders markup from text/plain.
TEXT = frozenset({"text/plain", "text/vtt", "application/x-subrip"})
PLAIN_TEXT = "text/plain; charset=utf-8"
# Inert files our own code writes keep their type (it picks the application), but always as a download.
DOWNLOADS = frozenset({
    "application/json", "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
})
UNKNOWN = "application/octet-stream"

# Sent with every stored file, whatever its type: no sniffing another type out of the bytes, and a document that
# renders anyway (a browser that ignores the disposition) runs in a sandbox with no script and a unique origin.
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
}

# ffprobe's format name -> (type with a picture track, type with sound only). Only containers a browser plays.
_CONTAINERS = {
    "mov,mp4,m4a,3gp,3g2,mj2": ("video/mp4", "audio/mp4"),
    "matroska,webm": ("video/x-matroska", "audio/x-matroska"),
    "ogg": ("video/ogg", "audio/ogg"),
    "mpegts": ("video/mp2t", None),
    "wav": (None, "audio/wav"),
    "mp3": (None, "audio/mpeg"),
    "flac": (None, "audio/flac"),
    "aac": (None, "audio/aac"),
}


def base_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def probed_type(media: dict | None) -> str:
    """An uploaded original's type, from what the probe found in it (never from the name its uploader gave)."""
    if not media:
        return UNKNOWN
    pair = _CONTAINERS.get(media.get("container") or "")
    if pair is None:
        return UNKNOWN
    return (pair[0] if media.get("video_codec") else pair[1]) or UNKNOWN


def served(content_type: str | None) -> tuple[str, str]:
    """(Content-Type, disposition) a stored file of this known type is served with."""
    kind = base_type(content_type)
    if kind in PASSIVE:
        return kind, "inline"
    if kind in TEXT:
        return PLAIN_TEXT, "inline"
    if kind in DOWNLOADS:
        return kind, "attachment"
    return UNKNOWN, "attachment"


def content_disposition(disposition: str, filename: str | None) -> str:
    """RFC 6266: an ASCII fallback name (no quotes, backslashes or control characters) and the exact UTF-8 name."""
    if not filename:
        return disposition
    fallback = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def headers(content_type: str | None, filename: str | None) -> dict[str, str]:
    """Every header a stored download answers with, Content-Type included."""
    media_type, disposition = served(content_type)
    return {**HEADERS, "Content-Type": media_type, "Content-Disposition": content_disposition(disposition, filename)}

"""The one list of what ffmpeg and ffprobe may open for user media: each reads exactly the file it is given."""
from __future__ import annotations

import re
import struct
from pathlib import Path

# libavformat demuxers that read one file and never open a second one (ffmpeg 5.1 checked). A name matches any
# comma-separated part of a demuxer's name: "mov" is the whole "mov,mp4,m4a,3gp,3g2,mj2" family, "matroska"
# and "webm" are "matroska,webm". Left out on purpose: hls, dash, concat (ffconcat), image2 (sequence patterns),
# webm_dash_manifest, image2pipe and every other playlist, segment-list or reference demuxer.
DEMUXERS = (
    "mov", "matroska", "webm", "avi", "mpegts", "mpeg", "flv", "asf", "mxf",
    "mp3", "wav", "w64", "flac", "ogg", "aac", "ac3", "eac3", "aiff", "caf", "amr",
    # single images (overlays, MetaVision stills), recognised by their bytes, one file each
    "png_pipe", "webp_pipe", "jpeg_pipe",
)

# avformat_open_input refuses a probed demuxer that is not listed; the file protocol is the only one, so no
# demuxer can reach a URL. The MOV demuxer's `enable_drefs` stays at its default 0: a data reference is never
# followed (and `probe` refuses a file that has one, see `names_other_files`).
INPUT = {"protocol_whitelist": "file", "format_whitelist": ",".join(DEMUXERS)}
ARGV = ("-protocol_whitelist", INPUT["protocol_whitelist"], "-format_whitelist", INPUT["format_whitelist"])

_REFUSED_FORMAT = re.compile(r"\[([\w,]+) @ [^\]]*\] Format not on whitelist")
_REFUSED_PROTOCOL = re.compile(r"Protocol '([^']*)' not on whitelist")


def refusal(stderr: str | bytes | None) -> str | None:
    """Why ffmpeg refused the input by the lists above (its demuxer or protocol), or None for any other failure."""
    text = stderr.decode(errors="replace") if isinstance(stderr, bytes) else (stderr or "")
    if match := _REFUSED_FORMAT.search(text):
        return f"its format ({match.group(1)}) is not one this server reads; accepted: {', '.join(DEMUXERS)}"
    if match := _REFUSED_PROTOCOL.search(text):
        return f"it asks to open another resource ({match.group(1)}:), which this server never does"
    return None


# ---------------------------------------------------------------- MOV/MP4 data references
_DREF_PATH = (b"moov", b"trak", b"mdia", b"minf", b"dinf", b"dref")  # only this path is walked: bounded depth
_SELF_CONTAINED = 0x000001  # the dref entry flag: the data is in this very file


def _boxes(f, start: int, end: int):
    """(type, body start, end) of the ISO boxes between `start` and `end`; stops at the first malformed one."""
    pos = start
    while pos + 8 <= end:
        f.seek(pos)
        size, kind = struct.unpack(">I4s", f.read(8))
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            size, header = struct.unpack(">Q", f.read(8))[0], 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos + header, pos + size
        pos += size


def _external(f, start: int, end: int, depth: int = 0) -> bool:
    for kind, body, stop in _boxes(f, start, end):
        if kind != _DREF_PATH[depth]:
            continue
        if depth + 1 < len(_DREF_PATH):
            if _external(f, body, stop, depth + 1):
                return True
            continue
        for _, entry, _ in _boxes(f, body + 8, stop):  # after the dref's version/flags and entry count
            f.seek(entry)
            if not int.from_bytes(f.read(4), "big") & _SELF_CONTAINED:
                return True
    return False


def names_other_files(path: Path) -> bool:
    """Whether an MP4/MOV's data reference table says its media lives in another file ('url ', 'alis', ...)."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        return _external(f, 0, f.tell())

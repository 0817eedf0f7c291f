"""Zip archives of finished files, streamed entry by entry with zipstream-ng (stored, not deflated: mp4 is already
compressed), so neither a download nor a zip job ever holds an archive in memory."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import zipstream


def archive(files: list[tuple[Path, str]]) -> zipstream.ZipStream:
    stream = zipstream.ZipStream(compress_type=zipstream.ZIP_STORED, sized=True)
    for path, name in files:
        stream.add_path(str(path), name)
    return stream


def write(files: list[tuple[Path, str]], out: Path) -> Path:
    with out.open("wb") as handle:
        for chunk in archive(files):
            handle.write(chunk)
    return out


def chunks(files: list[tuple[Path, str]]) -> tuple[int, Iterator[bytes]]:
    stream = archive(files)
    return len(stream), iter(stream)

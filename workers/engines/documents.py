"""Documents to translate: plain text, SRT and WebVTT (pysubs2, timing kept), DOCX (python-docx); language detection."""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from domain import languages
from domain.errors import ErrorCode, ValidationFailed

SRT_START = re.compile(r"^\ufeff?\s*\d+\s*\r?\n\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->", re.M)
PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n+)")
# A DOCX is a zip: what it unpacks to is capped before anything reads it (a few KiB can declare gigabytes). zipfile
# never inflates an entry past the size its header declares, so the declared sizes are what count.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # setting MAX_DOCUMENT_BYTES
MAX_ENTRIES = 10_000


@dataclass
class Document:
    format: str
    units: list[str]
    rebuild: Callable[[list[str]], bytes]


def sniff(data: bytes, url: str, max_unpacked: int = MAX_UNPACKED_BYTES) -> str:
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower().lstrip(".")
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = archive.infolist()
                unpacked = sum(entry.file_size for entry in entries)
                if len(entries) > MAX_ENTRIES or unpacked > max_unpacked:
                    raise ValidationFailed(
                        f"the document unpacks to {unpacked} bytes in {len(entries)} entries; at most {max_unpacked} "
                        f"bytes and {MAX_ENTRIES} entries are accepted", field=["input", "url"],
                        code=ErrorCode.PAYLOAD_TOO_LARGE)
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
        raise ValidationFailed("the document is an archive but not a DOCX file", field=["input", "url"])
    text = _text(data)
    if text.lstrip("\ufeff").startswith("WEBVTT"):
        return "vtt"
    if SRT_START.search(text[:2000]) or suffix == "srt":
        return "srt"
    return "txt"


def _text(data: bytes) -> str:
    if b"\0" in data[:4096]:
        raise ValidationFailed("the document is binary; plain text, SRT, WebVTT and DOCX are supported",
                               field=["input", "url"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed("the document is not UTF-8 text", field=["input", "url"]) from exc


def parse(data: bytes, url: str, max_unpacked: int = MAX_UNPACKED_BYTES) -> Document:
    fmt = sniff(data, url, max_unpacked)
    if fmt == "docx":
        return _docx(data)
    text = _text(data)
    if fmt in ("srt", "vtt"):
        import pysubs2

        try:
            subs = pysubs2.SSAFile.from_string(text, format_=fmt)
        except Exception as exc:  # pysubs2 raises several kinds for malformed files
            raise ValidationFailed(f"the {fmt.upper()} document cannot be read: {exc}", field=["input", "url"]) from exc
        events = [e for e in subs if not e.is_comment]

        def rebuild_subs(texts: list[str]) -> bytes:
            for event, new in zip(events, texts):
                event.plaintext = new
            return subs.to_string(fmt).encode()

        return Document(fmt, [e.plaintext for e in events], rebuild_subs)
    return parse_text(text, "txt")


def parse_text(text: str, fmt: str = "text") -> Document:
    """Paragraphs translated as units (each in its batch's context); the breaks between them kept as they were."""
    pieces = PARAGRAPH_BREAK.split(text)

    def rebuild_text(texts: list[str]) -> bytes:
        out = list(pieces)
        out[0::2] = [_same_margins(old, new) for old, new in zip(pieces[0::2], texts)]
        return "".join(out).encode()

    return Document(fmt, pieces[0::2], rebuild_text)


def _same_margins(old: str, new: str) -> str:
    """Translators trim; the document keeps the whitespace around each paragraph it had."""
    lead = old[:len(old) - len(old.lstrip())]
    trail = old[len(old.rstrip()):]
    return lead + new.strip() + trail if old.strip() else old


def _docx(data: bytes) -> Document:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ValidationFailed(f"the DOCX document cannot be read: {exc}", field=["input", "url"]) from exc
    paragraphs = list(document.paragraphs) + [p for table in document.tables for row in table.rows
                                              for cell in row.cells for p in cell.paragraphs]

    def rebuild(texts: list[str]) -> bytes:
        for paragraph, new in zip(paragraphs, texts):
            runs = paragraph.runs
            if not runs or new == paragraph.text:
                continue
            runs[0].text = new  # the first run's formatting carries the paragraph
            for run in runs[1:]:
                run.text = ""
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    return Document("docx", [p.text for p in paragraphs], rebuild)


def detect_language(text: str) -> str | None:
    """Offline detection with py3langid (a model shipped in its wheel); None for text too short to tell."""
    import py3langid

    sample = " ".join(text.split())[:5000]
    if len(sample) < 3:
        return None
    code, _ = py3langid.classify(sample)
    return languages.normalize(code)

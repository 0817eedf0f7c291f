"""EBU-STL (EBU Tech 3264) writer, by hand: no maintained library writes it. A 1024-byte GSI block in code
page 850, then one 128-byte TTI block per subtitle (extension blocks when text exceeds 112 bytes)."""
from __future__ import annotations

import unicodedata
from datetime import date

from domain.subtitles.cues import Cue

FPS = 25
LINE_BREAK, UNUSED = 0x8A, 0x8F
TEXT_BYTES = 112
# EBU language codes (Tech 3264 appendix 3) for the languages we serve most.
LANGUAGE_CODES = {"en": "09", "es": "0A", "fr": "0F", "de": "08", "it": "15", "pt": "21", "nl": "1D", "ca": "03",
                  "eu": "0E", "gl": "12", "sv": "28", "da": "07", "fi": "27", "pl": "1E", "ro": "22", "ru": "56"}
# ISO 6937 (the TTI character table "00"): accents are a prefix byte before the base letter.
DIACRITICS = {"\u0300": 0xC1, "\u0301": 0xC2, "\u0302": 0xC3, "\u0303": 0xC4, "\u0304": 0xC5, "\u0306": 0xC6,
              "\u0307": 0xC7, "\u0308": 0xC8, "\u030a": 0xCA, "\u0327": 0xCB, "\u030b": 0xCD, "\u0328": 0xCE,
              "\u030c": 0xCF}
SPECIALS = {"¡": 0xA1, "£": 0xA3, "$": 0x24, "#": 0x23, "§": 0xA7, "«": 0xAB, "°": 0xB0, "»": 0xBB, "¿": 0xBF,
            "Æ": 0xE1, "Ø": 0xE9, "æ": 0xF1, "ø": 0xF9, "ß": 0xFB, "Œ": 0xEA, "œ": 0xFA, "‘": 0xA9, "’": 0xB9,
            "“": 0xAA, "”": 0xBA, "–": 0xD0, "—": 0xD0, "…": 0x2E}


def encode_iso6937(text: str) -> bytes:
    out = bytearray()
    for char in text:
        if char in SPECIALS:
            out.append(SPECIALS[char])
        elif ord(char) < 0x80:
            out.append(ord(char))
        else:
            base, *marks = unicodedata.normalize("NFD", char)
            if ord(base) < 0x80 and marks and marks[0] in DIACRITICS:
                out += bytes([DIACRITICS[marks[0]], ord(base)])
            else:
                out.append(ord("?"))  # outside the Latin table: say so visibly rather than drop it
    return bytes(out)


def timecode(ms: int) -> bytes:
    frames_total = round(max(0, ms) * FPS / 1000)
    seconds, frames = divmod(frames_total, FPS)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return bytes([hours % 24, minutes, seconds, frames])


def _field(value: str, size: int, encoding: str = "cp850") -> bytes:
    raw = value.encode(encoding, errors="replace")[:size]
    return raw + b" " * (size - len(raw))


def _text_blocks(cue: Cue) -> list[bytes]:
    encoded = bytes([LINE_BREAK]).join(encode_iso6937(line) for line in cue.lines)
    chunks, start = [], 0
    while start < len(encoded):
        end = min(start + TEXT_BYTES, len(encoded))
        if end < len(encoded) and 0xC1 <= encoded[end - 1] <= 0xCF:
            end -= 1  # never part an accent's prefix byte from its letter across blocks
        chunks.append(encoded[start:end])
        start = end
    chunks = chunks or [b""]
    return [chunk + bytes([UNUSED]) * (TEXT_BYTES - len(chunk)) for chunk in chunks]


def write(cues: list[Cue], *, language: str = "en", title: str = "", today: date | None = None) -> bytes:
    tti = bytearray()
    blocks = 0
    for number, cue in enumerate(cues, start=1):
        texts = _text_blocks(cue)
        for index, text in enumerate(texts):
            extension = 0xFF if index == len(texts) - 1 else index
            vertical = 22 - 2 * (len(cue.lines) - 1)  # bottom rows of the teletext grid
            tti += bytes([0]) + (number % 65536).to_bytes(2, "little") + bytes([extension, 0])
            tti += timecode(cue.start_ms) + timecode(cue.end_ms)
            tti += bytes([vertical, 0x02, 0x00]) + text
            blocks += 1
    stamp = (today or date.today()).strftime("%y%m%d")
    gsi = b"".join([
        b"850", b"STL25.01", b"1", b"00", _field(LANGUAGE_CODES.get(language.split("-")[0].lower(), "00"), 2),
        _field(title, 32), _field(title, 32), _field("", 32), _field("", 32), _field("", 32), _field("", 32),
        _field("", 16), stamp.encode(), stamp.encode(), b"00",
        f"{blocks:05d}".encode(), f"{len(cues):05d}".encode(), b"001", b"42", b"23", b"1",
        b"00000000", "".join(f"{v:02d}" for v in timecode(cues[0].start_ms if cues else 0)).encode(),
        b"1", b"1", _field("USA", 3), _field("Mediagraph", 32), _field("", 32), _field("", 32),
    ])
    gsi = gsi + b" " * (1024 - len(gsi))
    assert len(gsi) == 1024 and len(tti) == 128 * blocks
    return gsi + bytes(tti)

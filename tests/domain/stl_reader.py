"""An EBU-STL reader written from EBU Tech 3264, independent of the writer, for reading outputs back."""
from __future__ import annotations

from dataclasses import dataclass

DIACRITIC_OF = {0xC1: "\u0300", 0xC2: "\u0301", 0xC3: "\u0302", 0xC4: "\u0303", 0xC8: "\u0308", 0xCA: "\u030a",
                0xCB: "\u0327"}
SPECIAL_OF = {0xA1: "¡", 0xBF: "¿", 0xFB: "ß", 0xF1: "æ", 0xF9: "ø"}


@dataclass
class Subtitle:
    number: int
    start_ms: int
    end_ms: int
    text: str


def _decode(raw: bytes) -> str:
    import unicodedata

    out, pending = [], None
    for byte in raw:
        if byte == 0x8F:
            continue
        if byte == 0x8A:
            out.append("\n")
        elif byte in DIACRITIC_OF:
            pending = DIACRITIC_OF[byte]
        elif pending:
            out.append(unicodedata.normalize("NFC", chr(byte) + pending))
            pending = None
        else:
            out.append(SPECIAL_OF.get(byte, chr(byte)))
    return "".join(out)


def _ms(tc: bytes, fps: int) -> int:
    hours, minutes, seconds, frames = tc
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + round(frames * 1000 / fps)


def read(data: bytes) -> tuple[dict, list[Subtitle]]:
    gsi = data[:1024]
    header = {"cpn": gsi[0:3].decode(), "dfc": gsi[3:11].decode(), "language": gsi[14:16].decode(),
              "tnb": int(gsi[238:243]), "tns": int(gsi[243:248])}
    fps = 25 if header["dfc"] == "STL25.01" else 30
    blocks = [data[i:i + 128] for i in range(1024, len(data), 128)]
    assert all(len(b) == 128 for b in blocks) and len(blocks) == header["tnb"]
    subtitles: dict[int, Subtitle] = {}
    for block in blocks:
        number = int.from_bytes(block[1:3], "little")
        text = _decode(block[16:128])
        if number in subtitles:
            subtitles[number].text += text
        else:
            subtitles[number] = Subtitle(number, _ms(block[5:9], fps), _ms(block[9:13], fps), text)
    return header, list(subtitles.values())

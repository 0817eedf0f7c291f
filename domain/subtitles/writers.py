"""SRT, WebVTT and JSON writers over cues."""
from __future__ import annotations

import json
from html import escape

from domain.subtitles.cues import Cue


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(max(0, ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def srt(cues: list[Cue]) -> str:
    blocks = [f"{n}\n{_clock(c.start_ms, ',')} --> {_clock(c.end_ms, ',')}\n{c.text}\n" for n, c in enumerate(cues, 1)]
    return "\n".join(blocks)


def vtt(cues: list[Cue], flavor: str = "standard") -> str:
    """`standard` names speakers with voice tags (<v Name>); `simplified` is plain text for simple players."""
    out = ["WEBVTT", ""]
    for cue in cues:
        out.append(f"{_clock(cue.start_ms, '.')} --> {_clock(cue.end_ms, '.')}")
        lines = [escape(line, quote=False) for line in cue.lines]
        if flavor == "standard" and cue.speaker and cue.kind == "speech":
            lines = [f"<v {escape(cue.speaker, quote=False)}>{line}</v>" for line in lines]
        out += lines + [""]
    return "\n".join(out)


def as_json(language: str, segments: list[dict]) -> str:
    return json.dumps({"language": language, "segments": segments}, ensure_ascii=False)

"""How long a running job of each kind may take: the defaults, and JOB_DEADLINES read over them."""
from __future__ import annotations

# Seconds a running job of each kind may take before it fails with DEADLINE_EXCEEDED; JOB_DEADLINES overrides
# entries ("transcription=7200,clip_render=600"), JOB_DEADLINE_S is every other kind's. Below Dramatiq's 6 h limit.
DEFAULT_DEADLINES = {"transcription": 14400, "video_analysis": 14400, "media_analysis": 7200, "voice_over": 7200,
                     "translation": 7200, "export": 7200, "timeline_export": 7200, "clip_render": 3600, "probe": 600}


def parse(value: str | None) -> tuple[tuple[str, float], ...]:
    table = dict(DEFAULT_DEADLINES)
    for item in (value or "").split(","):
        if not item.strip():
            continue
        kind, sep, seconds = item.partition("=")
        if not sep or not kind.strip() or float(seconds) <= 0:
            raise ValueError(f"JOB_DEADLINES takes kind=seconds pairs separated by commas, not {item!r}")
        table[kind.strip()] = float(seconds)
    return tuple(sorted(table.items()))

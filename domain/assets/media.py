"""Pure mapping from an ffprobe report to Mediagraph's media summary and audio tracks."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass
class MediaSummary:
    duration_ms: int | None
    media: dict
    audio_tracks: list[dict] = field(default_factory=list)
    has_video: bool = False
    has_audio: bool = False


def _int(value) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _rate(value: str | None) -> float | None:
    if not value or value in {"0/0", "0"}:
        return None
    try:
        return round(float(Fraction(value)), 3)
    except (ValueError, ZeroDivisionError):
        return None


def _ms(seconds) -> int | None:
    try:
        return int(round(float(seconds) * 1000))
    except (TypeError, ValueError):
        return None


def summarise(report: dict) -> MediaSummary:
    fmt = report.get("format") or {}
    streams = report.get("streams") or []
    # Cover art in audio files is a one-frame "video" stream; it is not a picture track.
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not (s.get("disposition") or {}).get("attached_pic")), None)
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    duration_ms = _ms(fmt.get("duration"))
    if duration_ms is None:
        durations = [_ms(s.get("duration")) for s in streams if _ms(s.get("duration"))]
        duration_ms = max(durations) if durations else None
    media = {
        "container": fmt.get("format_name"),
        "bitrate": _int(fmt.get("bit_rate")),
        "size": _int(fmt.get("size")),
        "width": _int(video.get("width")) if video else None,
        "height": _int(video.get("height")) if video else None,
        "frame_rate": _rate(video.get("avg_frame_rate") or video.get("r_frame_rate")) if video else None,
        "video_codec": video.get("codec_name") if video else None,
        "streams": [
            {
                "index": s.get("index"),
                "codec_type": s.get("codec_type"),
                "codec": s.get("codec_name"),
                "width": _int(s.get("width")),
                "height": _int(s.get("height")),
                "frame_rate": _rate(s.get("avg_frame_rate")) if s.get("codec_type") == "video" else None,
                "sample_rate": _int(s.get("sample_rate")),
                "channels": _int(s.get("channels")),
                "language": (s.get("tags") or {}).get("language"),
                "duration_ms": _ms(s.get("duration")),
            }
            for s in streams
        ],
    }
    tracks = [
        {
            "index": position,
            "codec": s.get("codec_name"),
            "language": (s.get("tags") or {}).get("language") if (s.get("tags") or {}).get("language") != "und" else None,
            "channels": _int(s.get("channels")),
            "sample_rate": _int(s.get("sample_rate")),
            "duration_ms": _ms(s.get("duration")) or duration_ms,
        }
        for position, s in enumerate(audio)
    ]
    return MediaSummary(duration_ms, media, tracks, has_video=video is not None, has_audio=bool(audio))

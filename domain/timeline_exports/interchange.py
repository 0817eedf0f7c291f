"""The timeline as an interchange file for other editors: OpenTimelineIO JSON, a CMX 3600 EDL or Final Cut Pro XML,
written by OpenTimelineIO and its adapters from the active pieces (a pure function: pieces in, bytes out; it lives in
the domain, like the subtitle formats, because the synchronous GET answers with it)."""
from __future__ import annotations

from dataclasses import dataclass

import opentimelineio as otio

# format -> (OTIO adapter, content type, file suffix)
FORMATS = {
    "otio": ("otio_json", "application/json", "otio"),
    "edl": ("cmx_3600", "text/plain; charset=utf-8", "edl"),
    "fcpxml": ("fcpx_xml", "application/xml", "fcpxml"),
}


@dataclass(frozen=True)
class Clip:
    """One timeline piece: `duration_s` of the media `media_name` (at `url`) from `start_s`."""

    name: str
    media_name: str
    url: str | None
    start_s: float
    duration_s: float
    media_duration_s: float | None = None


def _time(frames: int, rate: float) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(frames, rate)


def reel(media_name: str) -> str:
    """A CMX 3600 reel name: at most 8 letters and digits of the media's name."""
    stem = media_name.rsplit(".", 1)[0]
    return ("".join(c for c in stem if c.isalnum()).upper() or "AX")[:8]


def timeline(name: str, clips: list[Clip], rate: float) -> otio.schema.Timeline:
    """One video track of the clips in order, each referring to its media file with the range it plays. Lengths are
    counted in frames along the timeline (cumulative rounding), as the export renderer counts them, so the record
    ranges add up to the exported file's length."""
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    elapsed = 0.0
    for clip in clips:
        frames = round((elapsed + clip.duration_s) * rate) - round(elapsed * rate)
        elapsed += clip.duration_s
        # what the file holds (FCPXML needs it): its length when known, else at least the range played
        length = clip.media_duration_s or clip.start_s + clip.duration_s
        available = otio.opentime.TimeRange(_time(0, rate), _time(round(length * rate), rate))
        reference = otio.schema.ExternalReference(target_url=clip.url or clip.media_name, available_range=available)
        reference.name = clip.media_name
        track.append(otio.schema.Clip(
            name=clip.name, media_reference=reference, metadata={"cmx_3600": {"reel": reel(clip.media_name)}},
            source_range=otio.opentime.TimeRange(_time(round(clip.start_s * rate), rate), _time(frames, rate))))
    result = otio.schema.Timeline(name=name, global_start_time=_time(0, rate))
    result.tracks.append(track)
    return result


def render(fmt: str, name: str, clips: list[Clip], rate: float) -> tuple[str, str, str]:
    """(content, content type, file suffix) of the timeline in `fmt` (one of FORMATS)."""
    adapter, content_type, suffix = FORMATS[fmt]
    text = otio.adapters.write_to_string(timeline(name, clips, rate), adapter_name=adapter)
    return text, content_type, suffix

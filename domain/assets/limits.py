"""Media a probe accepts: duration, picture size and stream count within the deployment's limits (0 = no limit)."""
from __future__ import annotations

from domain.errors import DomainError, ErrorCode


class MediaLimitExceeded(DomainError):
    code = ErrorCode.MEDIA_LIMIT_EXCEEDED


def check(report: dict, duration_ms: int | None, settings) -> None:
    """Raise MEDIA_LIMIT_EXCEEDED naming the first limit an ffprobe report is over."""
    streams = report.get("streams") or []
    if settings.max_streams and len(streams) > settings.max_streams:
        raise MediaLimitExceeded(f"the file has {len(streams)} streams; at most {settings.max_streams} are accepted "
                                 "(MAX_STREAMS)")
    seconds = (duration_ms or 0) / 1000
    if settings.max_media_duration_s and seconds > settings.max_media_duration_s:
        raise MediaLimitExceeded(f"the file plays {seconds:.0f} s; at most {settings.max_media_duration_s:.0f} s are "
                                 "accepted (MAX_MEDIA_DURATION_S)")
    for stream in streams:
        if stream.get("codec_type") != "video":
            continue
        pixels = int(stream.get("width") or 0) * int(stream.get("height") or 0)
        if settings.max_video_pixels and pixels > settings.max_video_pixels:
            raise MediaLimitExceeded(f"a video stream is {stream.get('width')}x{stream.get('height')} "
                                     f"({pixels} pixels); at most {settings.max_video_pixels} are accepted "
                                     "(MAX_VIDEO_PIXELS)")

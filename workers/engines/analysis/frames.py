"""One decode: ffmpeg samples the video at a fixed rate and size into raw BGR frames, streamed, never all in memory."""
from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workers.engines import formats, processes

# Quality profiles: frames per second decoded, analysis width, and how often the heavy analysers look
# (every Nth decoded frame). Scenes see every decoded frame (10 fps: cuts within 0.1 s).
PROFILES = {"low": (10, 480, 10), "balanced": (10, 640, 5), "high": (10, 960, 2), "ultra": (10, 1280, 1)}


@dataclass
class Frame:
    index: int
    ms: int
    image: np.ndarray  # H x W x 3, BGR, uint8
    heavy: bool        # whether the heavy analysers (faces, OCR, moderation) look at this one


def sample(path: Path, source_width: int, source_height: int, profile: str = "balanced",
           still: bool = False, media_s: float | None = None) -> Iterator[Frame]:
    """Frames at the profile's rate; a still image (no duration) is its one frame. The decode (and the analysis
    reading it) stops at the time limit for `media_s` seconds of media (ToolTimeout)."""
    fps, width, every = PROFILES[profile]
    width = min(width, source_width - source_width % 2) or 2
    height = max(2, int(round(source_height * width / source_width / 2)) * 2)
    command = ["ffmpeg", "-v", "error", *formats.ARGV, "-i", str(path), "-map", "0:v:0",
               "-vf", f"scale={width}:{height}" if still else f"fps={fps},scale={width}:{height}",
               *(["-frames:v", "1"] if still else []), "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"]
    size = width * height * 3
    decode = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    with decode as process, processes.deadline(process, command, processes.limit(media_s)):
        index = 0
        while True:
            data = process.stdout.read(size)
            if len(data) < size:
                break
            image = np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)
            yield Frame(index, int(round(index * 1000 / fps)), image, index % every == 0)
            index += 1
        process.stdout.close()

"""Frames of one file at given times (JPEG, optionally graded) in one ffmpeg pass, and a graded render of a range.

The frame shown at time T is the last one starting at or before T: frame k = floor(T * rate), k / rate its time.
A pass seeks once to just before the first wanted frame and selects the wanted ones by time, so a strip of
many frames decodes the stretch once instead of seeking per frame.
"""
from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

from domain.errors import MediaUnreadable
from workers.engines import formats, processes
from workers.engines.editing.grading import filter_chain

EPSILON = 1e-6


def _run(argv: list[str], what: str, media_s: float = 0.0) -> None:
    done = processes.run(argv, timeout=processes.limit(media_s))
    stderr = done.stderr.decode(errors="replace")
    if done.returncode != 0:
        raise MediaUnreadable(formats.refusal(stderr) or f"{what} failed: {stderr.strip()[-300:]}")


def video_rate(path: Path) -> Fraction:
    """The video stream's frame rate (r_frame_rate), the grid frames sit on."""
    done = processes.run(["ffprobe", *formats.ARGV, "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=r_frame_rate,avg_frame_rate", "-of", "json", str(path)], timeout=processes.limit())
    streams = json.loads(done.stdout or b"{}").get("streams") or []
    if done.returncode != 0 or not streams:
        raise MediaUnreadable(formats.refusal(done.stderr.decode(errors="replace")) or "the file has no video stream")
    for name in ("r_frame_rate", "avg_frame_rate"):
        rate = Fraction(streams[0].get(name) or "0/1")
        if 0 < rate <= 240:
            return rate
    return Fraction(25)


def grab(path: Path, times: list[float], out_dir: Path, grade: dict | None = None,
         max_width: int | None = None) -> list[Path]:
    """One JPEG per time in `times` (file seconds), in that order; times on the same frame share its picture."""
    if not times:
        return []
    rate = video_rate(path)
    index = [math.floor(max(t, 0.0) * rate + EPSILON) for t in times]
    wanted = sorted(set(index))
    # Seek to a frame boundary a little before the first frame: the filter's t then counts from there.
    seek = Fraction(max(wanted[0] - int(rate), 0)) / rate
    half = 0.5 / float(rate)
    picks = "+".join(f"between(t,{float(Fraction(k) / rate - seek) - half:.6f},{float(Fraction(k) / rate - seek) + half:.6f})"
                     for k in wanted)
    chain = [f"select='{picks}'"]
    if graded := filter_chain(grade):
        chain.append(graded)
    if max_width:
        chain.append(f"scale='min({max_width},iw)':-2")
    out_dir.mkdir(parents=True, exist_ok=True)
    pattern = out_dir / "frame-%05d.jpg"
    _run(["ffmpeg", "-v", "error", "-y", *formats.ARGV, "-ss", f"{float(seek):.6f}", "-i", str(path), "-map", "0:v:0",
          "-vf", ",".join(chain), "-fps_mode", "passthrough", "-frames:v", str(len(wanted)), "-q:v", "3",
          str(pattern)], "frame extraction")
    files = {k: out_dir / f"frame-{n + 1:05d}.jpg" for n, k in enumerate(wanted)}
    missing = [k for k, f in files.items() if not f.exists()]
    if missing:
        raise MediaUnreadable(f"no frame at {float(Fraction(missing[0]) / rate):.3f} s: past the end of the file?")
    return [files[k] for k in index]


def render_graded(path: Path, start_s: float, duration_s: float, grade: dict, out: Path) -> Path:
    """The range [start_s, start_s + duration_s) of `path`, graded, as H.264/AAC at the source's frame rate."""
    rate = video_rate(path)
    chain = ",".join(filter(None, [filter_chain(grade), "format=yuv420p"]))
    _run(["ffmpeg", "-v", "error", "-y", *formats.ARGV, "-ss", f"{start_s:.6f}", "-i", str(path),
          "-t", f"{duration_s:.6f}", "-map", "0:v:0", "-map", "0:a:0?", "-vf", chain, "-r", str(rate),
          "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-c:a", "aac", "-b:a", "192k",
          "-movflags", "+faststart", str(out)], "grade render", duration_s)
    return out

"""Clips: Mediagraph's renderer (the exact ffmpeg command a clip job runs) against hand-written ffmpeg commands doing
the same work on the same 1080p source in the same run: a stream-copy cut, and a 9:16 reframe with an overlay and
burned-in subtitles. Each Mediagraph clip is one ffmpeg process (nothing is encoded twice)."""
from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import time
from pathlib import Path

from bench.common import ROOT, table
from domain.clips import geometry
from domain.subtitles.cues import Cue
from workers.engines import clips as renderer
from workers.engines import media

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
OUT = ROOT / "bench" / "out" / "clips"
START_S, DURATION_S = 12.0, 10.0
ENCODE = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a",
          "160k", "-ar", "48000", "-ac", "2", "-movflags", "+faststart"]


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def source() -> tuple[Path, Path, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    video, logo, subs = OUT / "source-1080p.mp4", OUT / "logo.png", OUT / "subs.ass"
    if not video.exists():
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25", "-f", "lavfi", "-i",
               "sine=frequency=440:sample_rate=48000", "-t", "40", "-c:v", "libx264", "-preset", "veryfast",
               "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac", str(video))
    if not logo.exists():
        ffmpeg("-f", "lavfi", "-i", "color=c=red:s=400x200,format=rgba", "-frames:v", "1", str(logo))
    cues = [Cue(i * 2000, i * 2000 + 1800, (f"Subtitle line number {i}", "and its second line")) for i in range(5)]
    renderer.ass_file(cues, dict(renderer.DEFAULT_STYLE), 1080, 1920, subs)
    return video, logo, subs


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    video, logo, subs = source()
    frame = geometry.frame(1920, 1080, (9, 16))
    x = (1920 - frame.crop_w) // 2
    margin = round(0.04 * 1080)

    def copy_plain():
        ffmpeg("-ss", f"{START_S}", "-i", str(video), "-t", f"{DURATION_S}", "-c", "copy", "-map", "0",
               "-avoid_negative_ts", "make_zero", "-movflags", "+faststart", str(OUT / "copy-plain.mp4"))

    def copy_mediagraph():  # as the clip job runs it: the keyframe lookup alongside the copy
        async def both():
            await asyncio.gather(asyncio.to_thread(media.keyframe_at_or_before, video, START_S),
                                 renderer.run(renderer.stream_copy(video, START_S, DURATION_S, OUT / "copy-mg.mp4"),
                                              DURATION_S))

        asyncio.run(both())

    def reframe_plain():
        graph = (f"[0:v]crop={frame.crop_w}:{frame.crop_h}:{x}:0,scale={frame.out_w}:{frame.out_h},setsar=1[v];"
                 f"[1:v]scale={round(0.2 * frame.out_w)}:-1[logo];[v][logo]overlay={margin}:{margin}[o];"
                 f"[o]ass={subs},format=yuv420p[out]")
        ffmpeg("-ss", f"{START_S}", "-t", f"{DURATION_S}", "-i", str(video), "-i", str(logo), "-filter_complex",
               graph, "-map", "[out]", "-map", "0:a", *ENCODE, str(OUT / "reframe-plain.mp4"))

    def reframe_mediagraph():
        plan = renderer.Plan(video, START_S, DURATION_S, 1920, 1080, 25.0, True, frame, crop_x=str(x), crop_y="0",
                             overlay=renderer.Overlay(logo, "top_left"), subtitles=subs)
        asyncio.run(renderer.run(renderer.graph(plan, OUT / "reframe-mg.mp4"), plan.total_s))

    rows = [("work", "way", "median s", "runs s", "ratio to plain ffmpeg", "goal")]
    for work, plain, ours in (("stream-copy cut, 10 s of 1080p", copy_plain, copy_mediagraph),
                              ("9:16 reframe + overlay + burned subtitles, 10 s of 1080p -> 1080x1920",
                               reframe_plain, reframe_mediagraph)):
        runs = {"hand-written ffmpeg": [], "Mediagraph renderer": []}
        for _ in range(ROUNDS):
            runs["hand-written ffmpeg"].append(timed(plain))
            runs["Mediagraph renderer"].append(timed(ours))
        base = statistics.median(runs["hand-written ffmpeg"])
        for name, values in runs.items():
            median = statistics.median(values)
            rows.append((work, name, f"{median:.2f}", " ".join(f"{v:.2f}" for v in values), f"{median / base:.2f}",
                         "<= 1.1" if name == "Mediagraph renderer" else ""))
    table(f"Clip rendering ({os.cpu_count()} cores, libx264 veryfast crf 21 on both sides)", rows)


if __name__ == "__main__":
    main()

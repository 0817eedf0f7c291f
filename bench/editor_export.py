"""Editor export: the smart renderer (what an export job runs) against hand-written ffmpeg filter graphs that cut the
same timeline from the same 60 s 1080p source in one full re-encode with the same encoder settings (libx264 veryfast,
the renderer's CRF, AAC 160k). Both outputs are decoded and each frame's burnt-in counter checked against the frame the
timeline asks for, so a speed-up never hides an off-by-one frame."""
from __future__ import annotations

import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from bench.common import ROOT, table
from tests.editor import frame_counters, make_counter_video, stream_durations
from workers.engines.editing import smart_render

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
OUT = ROOT / "bench" / "out" / "editor_export"
FPS = 25
# Three segments of the source (start s, duration s), none starting or ending on a keyframe (one every 2 s).
CUTS = [(3.32, 15.0), (21.48, 18.0), (44.12, 12.6)]
GRADE = "eq=brightness=0.06:contrast=1.1:saturation=1.2"
ENCODE = ["-c:v", "libx264", "-preset", smart_render.PRESET, "-crf", str(smart_render.CRF), "-pix_fmt", "yuv420p",
          "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-movflags", "+faststart"]


def source() -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    return make_counter_video(OUT / "source-1080p-60s.mp4", 60, width=1920, height=1080, fps=FPS, gop=2 * FPS)


def expected() -> list[int]:
    frames = []
    for start, duration in CUTS:
        first = round(start * FPS)
        frames += range(first, first + round(duration * FPS))
    return frames


def hand_written(video: Path, out: Path, graded: int | None) -> None:
    """One ffmpeg: trim each range, grade the graded one, concat (filter) and encode everything."""
    chains, labels = [], ""
    for n, (start, duration) in enumerate(CUTS):
        grade = f",{GRADE}" if n == graded else ""
        chains.append(f"[0:v]trim=start={start}:duration={duration},setpts=PTS-STARTPTS{grade}[v{n}]")
        chains.append(f"[0:a]atrim=start={start}:duration={duration},asetpts=PTS-STARTPTS[a{n}]")
        labels += f"[v{n}][a{n}]"
    graph = ";".join(chains) + f";{labels}concat=n={len(CUTS)}:v=1:a=1[v][a]"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-filter_complex", graph, "-map", "[v]",
                    "-map", "[a]", *ENCODE, str(out)], check=True)


def mediagraph(video: Path, out: Path, graded: int | None) -> smart_render.Report:
    pieces = [smart_render.Piece(video, start, duration, GRADE if n == graded else None)
              for n, (start, duration) in enumerate(CUTS)]
    work = OUT / "work"
    shutil.rmtree(work, ignore_errors=True)
    return asyncio.run(smart_render.render(pieces, out, work))


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds (this process and its ffmpeg children: the work done, whatever else the machine
    runs) and the result."""
    started, cpu = time.perf_counter(), _cpu()
    result = fn()
    return time.perf_counter() - started, _cpu() - cpu, result


def check(path: Path) -> str:
    want = expected()
    got = frame_counters(path)
    wrong = sum(1 for a, b in zip(got, want) if a != b) + abs(len(got) - len(want))
    durations = stream_durations(path)
    return (f"{len(got)} frames, {wrong} wrong; video {durations.get('video', 0):.3f} s, "
            f"audio {durations.get('audio', 0):.3f} s")


GOALS = {None: "wall <= 0.3", 1: "wall <= 1.1"}  # cut-only: copies most of it; graded: re-encodes its cut


def main() -> None:
    video = source()
    rows = [("timeline", "way", "median wall s", "wall ratio", "median CPU s", "CPU ratio", "frames encoded",
             "decoded check", "goal")]
    for work, graded in (("3 cuts of 60 s 1080p (45.6 s out), cut-only", None),
                         ("the same with the middle cut graded (eq)", 1)):
        runs: dict[str, list[tuple[float, float]]] = {"hand-written full re-encode": [],
                                                      "Mediagraph smart render": []}
        report = None
        for _ in range(ROUNDS):
            wall, cpu, _ = timed(lambda graded=graded: hand_written(video, OUT / "plain.mp4", graded))
            runs["hand-written full re-encode"].append((wall, cpu))
            wall, cpu, report = timed(lambda graded=graded: mediagraph(video, OUT / "smart.mp4", graded))
            runs["Mediagraph smart render"].append((wall, cpu))
        checks = {"hand-written full re-encode": check(OUT / "plain.mp4"),
                  "Mediagraph smart render": check(OUT / "smart.mp4")}
        base = [statistics.median(v[i] for v in runs["hand-written full re-encode"]) for i in (0, 1)]
        for name, values in runs.items():
            wall, cpu = (statistics.median(v[i] for v in values) for i in (0, 1))
            encoded = f"{report.encoded_frames}/{report.frames}" if name.startswith("Mediagraph") else "all"
            rows.append((work, name, f"{wall:.2f}", f"{wall / base[0]:.2f}", f"{cpu:.2f}", f"{cpu / base[1]:.2f}",
                         encoded, checks[name], GOALS[graded] if name.startswith("Mediagraph") else ""))
    table(f"Editor export ({os.cpu_count()} cores, libx264 {smart_render.PRESET} crf {smart_render.CRF}, "
          f"source keyframe every 2 s, {ROUNDS} rounds; CPU s counts the ffmpeg children too)", rows)


if __name__ == "__main__":
    main()

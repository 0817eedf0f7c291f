"""Video analysis: a 60 s 720p video (shots, a face, burned-in captions, speech) through scenes, faces, OCR and
speech_to_text, against real time and against the plain tool (ffmpeg decoding the same video to nothing); with a
per-analyser breakdown. Engines are timed directly, as the job runs them (one frame pass, then speech)."""
from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import table
from tests.media import MONOLOGUE, ffmpeg, shots, speak
from workers.engines import media
from workers.engines.analysis import pipeline
from workers.handlers.analysis import _speech

ROUNDS = 2


def make_video(folder: Path) -> Path:
    speech = speak(" ".join([MONOLOGUE] * 4), folder / "speech.wav")
    eight = shots(folder, speech)  # 8 s: three shots
    (folder / "loop.txt").write_text("".join(f"file '{eight.name}'\n" for _ in range(8)))
    out = folder / "sixty.mp4"
    ffmpeg("-f", "concat", "-safe", "0", "-i", str(folder / "loop.txt"), "-i", str(speech), "-map", "0:v", "-map",
           "1:a", "-t", "60", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", str(out))
    return out


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="mg-bench-analysis-") as tmp:
        folder = Path(tmp)
        video = make_video(folder)
        runs, breakdowns, plain = [], [], []
        for n in range(ROUNDS):
            started = time.perf_counter()
            subprocess.run(["ffmpeg", "-v", "error", "-i", str(video), "-f", "null", "-"], check=True)
            plain.append(time.perf_counter() - started)
            work = folder / f"run{n}"
            work.mkdir()
            started = time.perf_counter()
            passed = pipeline.run(video, 1280, 720, 60000, {"scenes", "faces", "autocenter", "ocr"}, "balanced",
                                  0.5, work)
            frames_s = time.perf_counter() - started
            speech_started = time.perf_counter()
            audio = media.extract_speech_audio(video, work / "speech.wav")
            segments = _speech(audio, 0.5)
            speech_s = time.perf_counter() - speech_started
            runs.append(frames_s + speech_s)
            breakdowns.append({**passed.seconds, "speech_to_text": speech_s})
        rows = [("step", "seconds (median)", "share", "goal")]
        total = statistics.median(runs)
        for name in ("decode", "scenes", "faces", "ocr", "speech_to_text"):
            value = statistics.median(b.get(name, 0.0) for b in breakdowns)
            rows.append((name, f"{value:.2f}", f"{value / total:.0%}", ""))
        rows.append(("total (analysis)", f"{total:.2f}", f"{total / 60:.2f}x real time", "<= 1x real time"))
        rows.append(("plain ffmpeg decode (yardstick)", f"{statistics.median(plain):.2f}", "", ""))
        table(f"Analysing a 60 s 720p video ({passed.frames_decoded} frames decoded, {passed.frames_analysed} "
              f"analysed; {len(passed.scenes)} shots, {len(passed.faces)} face tracks, {len(passed.ocr)} texts, "
              f"{len(segments)} speech segments)", rows)


if __name__ == "__main__":
    main()

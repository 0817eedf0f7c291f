"""Media fixtures made with ffmpeg at test time (cached per session); no binaries live in the repo."""
from __future__ import annotations

import subprocess
from pathlib import Path


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


def make_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "mp4": folder / "clip.mp4",
        "silent_mp4": folder / "silent.mp4",
        "wav": folder / "tone.wav",
        "not_media": folder / "notes.mp4",
        "big_mp4": folder / "big.mp4",
    }
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
           "-t", "4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "25", "-c:a", "aac", "-ac", "2",
           "-metadata:s:a:0", "language=eng", str(files["mp4"]))
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
           str(files["silent_mp4"]))
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:sample_rate=16000", "-t", "2", str(files["wav"]))
    # Lossless noise: over 10 MiB, so two parts both clear S3's 5 MiB minimum part size.
    ffmpeg("-f", "lavfi", "-i", "nullsrc=size=640x360:rate=25,geq=random(1)*255:128:128", "-t", "2",
           "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", str(files["big_mp4"]))
    files["not_media"].write_text("these are meeting notes, not a video\n" * 50)
    return files

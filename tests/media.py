"""Media fixtures made with ffmpeg at test time (cached per session); no binaries live in the repo."""
from __future__ import annotations

import subprocess
from pathlib import Path


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


MONOLOGUE = ("Good morning and welcome to the evening news. The city council approved a new budget for public "
             "transport on Monday. Buses will run every ten minutes in the centre from next spring. "
             "Local businesses said the change would bring more visitors to the old town.")
DIALOGUE = [
    ("en-us+m3", "Welcome back to the programme. Today we are talking about football and the weekend results."),
    ("en-us+f3", "Thank you for having me. It was a surprising weekend for the home team."),
    ("en-us+m3", "They won three matches in a row. What changed in the squad this season?"),
    ("en-us+f3", "The new coach made the defence much stronger and the young players are confident."),
]


def speak(text: str, out: Path, voice: str = "en-us+m3") -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(out), text], check=True)
    return out


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
    # Speech made with espeak-ng: a monologue in an mp4 with a picture, and a two-voice dialogue.
    speak(MONOLOGUE, folder / "monologue.wav")
    files["speech_mp4"] = folder / "speech.mp4"
    ffmpeg("-i", str(folder / "monologue.wav"), "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
           "-map", "1:v", "-map", "0:a", "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
           str(files["speech_mp4"]))
    turns = [speak(text, folder / f"turn{n}.wav", voice) for n, (voice, text) in enumerate(DIALOGUE)]
    files["dialogue_wav"] = folder / "dialogue.wav"
    inputs = [arg for turn in turns for arg in ("-i", str(turn))]
    ffmpeg(*inputs, "-filter_complex", "".join(f"[{n}]" for n in range(len(turns))) + f"concat=n={len(turns)}:v=0:a=1",
           "-ar", "16000", "-ac", "1", str(files["dialogue_wav"]))
    files["not_media"].write_text("these are meeting notes, not a video\n" * 50)
    files["shots_mp4"] = shots(folder, folder / "monologue.wav")
    files.update(branding(folder, folder / "monologue.wav"))
    return files


SHOT_CUTS_MS = [2000, 5000]  # red 0-2 s, scikit-image's astronaut 2-5 s, a caption 5-8 s
CAPTION = "BREAKING NEWS TONIGHT"


def shots(folder: Path, speech: Path) -> Path:
    """Three shots with known cuts, a face and burned-in text, over the monologue's speech."""
    import cv2
    import numpy as np
    from skimage import data

    canvas = np.full((720, 1280, 3), 40, np.uint8)
    canvas[104:616, 384:896] = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    cv2.imwrite(str(folder / "astronaut.png"), canvas)
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=1280x720:d=2:r=25", str(folder / "shot-a.mp4"))
    ffmpeg("-loop", "1", "-i", str(folder / "astronaut.png"), "-t", "3", "-r", "25", "-pix_fmt", "yuv420p",
           str(folder / "shot-b.mp4"))
    ffmpeg("-f", "lavfi", "-i", "color=c=white:s=1280x720:d=3:r=25", "-vf",
           f"drawtext=text='{CAPTION}':fontsize=72:fontcolor=black:x=100:y=300", str(folder / "shot-c.mp4"))
    (folder / "shots.txt").write_text("".join(f"file 'shot-{n}.mp4'\n" for n in "abc"))
    out = folder / "shots.mp4"
    ffmpeg("-f", "concat", "-safe", "0", "-i", str(folder / "shots.txt"), "-i", str(speech), "-map", "0:v",
           "-map", "1:a", "-t", "8", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", str(out))
    return out


FACE_SIZE = 420  # the astronaut's picture, scaled; it slides left to right across a 1280x720 frame in 8 s


def branding(folder: Path, speech: Path) -> dict[str, Path]:
    """A talking face that moves across the frame, an overlay with alpha, an intro with sound, a silent outro."""
    import cv2
    from skimage import data

    face = folder / "astronaut-face.png"
    cv2.imwrite(str(face), cv2.resize(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR), (FACE_SIZE, FACE_SIZE)))
    out = {"face_mp4": folder / "face.mp4", "overlay_png": folder / "overlay.png", "intro_mp4": folder / "intro.mp4",
           "outro_mp4": folder / "outro.mp4"}
    ffmpeg("-f", "lavfi", "-i", "color=c=0x303030:s=1280x720:r=25:d=8", "-loop", "1", "-i", str(face),
           "-i", str(speech), "-filter_complex",
           f"[0][1]overlay=x='t*{(1280 - FACE_SIZE) / 8:.1f}':y=200:shortest=1[v]", "-map", "[v]", "-map", "2:a",
           "-t", "8", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "50", "-c:a", "aac", str(out["face_mp4"]))
    # An opaque red badge inside a transparent border: alpha must survive into the overlay.
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=180x90,format=rgba", "-vf",
           "pad=200:100:10:5:color=black@0.0", "-frames:v", "1", str(out["overlay_png"]))
    ffmpeg("-f", "lavfi", "-i", "color=c=blue:s=640x360:r=25:d=1", "-f", "lavfi", "-i",
           "sine=frequency=880:sample_rate=48000", "-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p",
           "-c:a", "aac", str(out["intro_mp4"]))
    ffmpeg("-f", "lavfi", "-i", "color=c=green:s=640x360:r=25:d=1.5", "-c:v", "libx264", "-pix_fmt", "yuv420p",
           str(out["outro_mp4"]))
    return out


# Speech in other languages (espeak-ng voices), short so the multilingual model stays quick in the suite.
FOREIGN = {
    "es": ("es", ("Buenos días. El ayuntamiento aprobó ayer un nuevo presupuesto para el transporte público "
                  "de la ciudad.")),
    "de": ("de", ("Guten Morgen. Der Stadtrat hat gestern einen neuen Haushalt für den öffentlichen Verkehr "
                  "beschlossen.")),
}


def foreign_speech(folder: Path) -> dict[str, Path]:
    """`es_wav`, `de_wav` (16 kHz mono) and `es_mp4` (the Spanish speech over a picture), each under 8 s."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for code, (voice, text) in FOREIGN.items():
        raw = speak(text, folder / f"{code}-raw.wav", voice)
        files[f"{code}_wav"] = folder / f"{code}.wav"
        ffmpeg("-i", str(raw), "-ar", "16000", "-ac", "1", "-t", "8", str(files[f"{code}_wav"]))
    files["es_mp4"] = folder / "es.mp4"
    ffmpeg("-i", str(files["es_wav"]), "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-map", "1:v",
           "-map", "0:a", "-shortest", "-t", "8", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
           str(files["es_mp4"]))
    return files

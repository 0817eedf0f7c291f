"""OCR engines on video frames: rapidocr-onnxruntime (what Mediagraph uses, installed without its opencv-python
dependency so the headless OpenCV stays the only one) and tesseract (needs `pytesseract` and Debian
`tesseract-ocr`; run this where both are installed, e.g. a separate venv). Two frames: a caption on a plain
background, and a caption over a photo; character similarity to the truth and seconds per frame."""
from __future__ import annotations

import difflib
import subprocess
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from skimage import data

TRUTH = "BREAKING NEWS TONIGHT"


def frames(folder: Path) -> dict[str, np.ndarray]:
    plain = np.full((720, 1280, 3), 255, np.uint8)
    photo = cv2.resize(cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR), (1280, 720))
    out = {}
    for name, image in (("caption on plain", plain), ("caption over photo", photo)):
        source = folder / "in.png"
        cv2.imwrite(str(source), image)
        target = folder / f"{name}.png"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(source), "-vf",
                        f"drawtext=text='{TRUTH}':fontsize=72:fontcolor=white:borderw=3:bordercolor=black:x=100:y=560",
                        str(target)], check=True)
        out[name] = cv2.resize(cv2.imread(str(target)), (640, 360))
    return out


def tesseract(image) -> str | None:
    try:
        import pytesseract
    except ImportError:
        return None

    return " ".join(pytesseract.image_to_string(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), config="--psm 11").split())


def rapid(image) -> str | None:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    engine = rapid.engine = getattr(rapid, "engine", None) or RapidOCR()
    found, _ = engine(image)
    return " ".join(text for _, text, _ in found or [])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        images = frames(Path(tmp))
    print("| frame | engine | similarity | seconds per frame | read |\n|---|---|---|---|---|")
    for name, image in images.items():
        for engine, fn in (("tesseract", tesseract), ("rapidocr", rapid)):
            fn(image)  # warm up (model load)
            started = time.perf_counter()
            text = fn(image)
            seconds = time.perf_counter() - started
            if text is None:
                print(f"| {name} | {engine} | not installed | | |")
                continue
            best = max([text] + text.split("  "), key=lambda t: difflib.SequenceMatcher(None, t, TRUTH).ratio())
            ratio = difflib.SequenceMatcher(None, TRUTH, best if TRUTH.split()[0] in best else text).ratio()
            print(f"| {name} | {engine} | {ratio:.2f} | {seconds:.2f} | {text[:50]!r} |")


if __name__ == "__main__":
    main()

"""On-screen text: RapidOCR (PaddleOCR's models in ONNX, shipped in its wheel) on analysed frames; a frame that
barely changed since the last one read reuses its text; lines are merged across frames into time ranges.

Chosen over tesseract by measurement (`bench/ocr_engines.py`): both read a caption on a plain background
exactly, but over a photo tesseract read junk (similarity 0.18) where RapidOCR read it (0.98), in less time."""
from __future__ import annotations

import re

import functools

import cv2
import numpy as np

MIN_LINE_CONFIDENCE = 0.75
SAME_FRAME = 4.0  # mean absolute grey difference (0..255) under which a frame is "the same picture"


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


class TextReader:
    def __init__(self, step_ms: int):
        self.step_ms = step_ms
        self.previous: np.ndarray | None = None
        self.last_lines: list[tuple[str, float]] = []
        self.found: dict[str, dict] = {}

    def _read(self, image: np.ndarray) -> list[tuple[str, float]]:
        found, _ = _engine()(image)
        out = []
        for _, text, confidence in found or []:
            text, confidence = _normal(text), float(confidence)
            # Texture can still read as short junk: keep confident lines with at least one real word.
            if confidence >= MIN_LINE_CONFIDENCE and any(len(t) >= 3 and t.isalnum() for t in text.split()):
                out.append((text, confidence))
        return out

    def feed(self, frame) -> None:
        small = cv2.resize(cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY), (160, 90)).astype(np.int16)
        if self.previous is None or float(np.mean(np.abs(small - self.previous))) > SAME_FRAME:
            self.last_lines = self._read(frame.image)
        self.previous = small
        for text, conf in self.last_lines:
            entry = self.found.setdefault(text, {"text": text, "instances": []})
            spans = entry["instances"]
            if spans and frame.ms - spans[-1]["end_ms"] <= self.step_ms * 2:
                spans[-1]["end_ms"] = frame.ms + self.step_ms
                spans[-1]["confidence"] = round(max(spans[-1]["confidence"], conf), 3)
            else:
                spans.append({"start_ms": frame.ms, "end_ms": frame.ms + self.step_ms, "confidence": round(conf, 3)})

    def results(self, threshold: float) -> list[dict]:
        out = []
        for entry in self.found.values():
            spans = [s for s in entry["instances"] if s["confidence"] >= threshold]
            if spans:
                out.append({"text": entry["text"], "confidence": max(s["confidence"] for s in spans), "instances": spans})
        return sorted(out, key=lambda e: e["instances"][0]["start_ms"])

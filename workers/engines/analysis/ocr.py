"""On-screen text: tesseract (Debian `tesseract-ocr`, through pytesseract) on analysed frames; a frame that
barely changed since the last one read reuses its text; lines are merged across frames into time ranges."""
from __future__ import annotations

import re

import cv2
import numpy as np
import pytesseract

MIN_LINE_CONFIDENCE = 0.75
SAME_FRAME = 4.0  # mean absolute grey difference (0..255) under which a frame is "the same picture"


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class TextReader:
    def __init__(self, step_ms: int):
        self.step_ms = step_ms
        self.previous: np.ndarray | None = None
        self.last_lines: list[tuple[str, float]] = []
        self.found: dict[str, dict] = {}

    def _read(self, image: np.ndarray) -> list[tuple[str, float]]:
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        data = pytesseract.image_to_data(grey, config="--psm 11", output_type=pytesseract.Output.DICT)
        lines: dict[tuple, list] = {}
        for text, conf, block, par, line in zip(data["text"], data["conf"], data["block_num"], data["par_num"],
                                                data["line_num"]):
            if text.strip() and float(conf) >= 0:
                lines.setdefault((block, par, line), []).append((text, float(conf) / 100))
        out = []
        for words in lines.values():
            text = _normal(" ".join(w for w, _ in words))
            confidence = sum(c for _, c in words) / len(words)
            # Tesseract reads texture in photos as short junk at middling confidence: keep confident lines
            # with at least one real word.
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

"""Content moderation: nudenet's ONNX detector (model in its wheel; its LICENSE says AGPL-3.0: an optional extra)."""
from __future__ import annotations

import functools

# nudenet's classes onto the AI Gateway's moderation labels; covered classes are not signals.
LABELS = {"FEMALE_BREAST_EXPOSED": "explicit_nudity", "FEMALE_GENITALIA_EXPOSED": "explicit_nudity",
          "MALE_GENITALIA_EXPOSED": "explicit_nudity", "ANUS_EXPOSED": "explicit_nudity",
          "BUTTOCKS_EXPOSED": "suggestive"}


def available() -> bool:
    try:
        import nudenet  # noqa: F401
    except ImportError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _detector():
    from nudenet import NudeDetector

    return NudeDetector()


class Moderator:
    def __init__(self, step_ms: int):
        self.step_ms = step_ms
        self.signals: dict[str, list[dict]] = {}

    def feed(self, frame) -> None:
        for found in _detector().detect(frame.image):
            label = LABELS.get(found.get("class"))
            if label is None:
                continue
            spans = self.signals.setdefault(label, [])
            score = float(found.get("score") or 0)
            if spans and frame.ms - spans[-1]["end_ms"] <= self.step_ms * 2:
                spans[-1]["end_ms"] = frame.ms + self.step_ms
                spans[-1]["confidence"] = round(max(spans[-1]["confidence"], score), 3)
            else:
                spans.append({"start_ms": frame.ms, "end_ms": frame.ms + self.step_ms, "confidence": round(score, 3)})

    def results(self, threshold: float) -> dict:
        signals = []
        for label, spans in self.signals.items():
            kept = [s for s in spans if s["confidence"] >= threshold]
            if kept:
                signals.append({"label": label, "confidence": max(s["confidence"] for s in kept), "instances": kept})
        return {"is_safe": not signals, "signals": signals}

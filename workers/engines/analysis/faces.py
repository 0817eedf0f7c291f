"""Faces: OpenCV's Haar cascade per analysed frame, detections linked into tracks, one crop and a fingerprint each."""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

GAP_MS = 1500  # a track survives this long without a detection (a turned head, a missed frame)


@dataclass
class Track:
    track_id: int
    boxes: list[tuple[int, tuple[int, int, int, int], float]] = field(default_factory=list)  # (ms, box, confidence)
    crop: np.ndarray | None = None
    crop_area: int = 0

    @property
    def last(self):
        return self.boxes[-1]


def _iou(a, b) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    x1, y1, x2, y2 = max(ax, bx), max(ay, by), min(ax + aw, bx + bw), min(ay + ah, by + bh)
    inter = max(0, x2 - x1) * max(0, y2 - y1)
    return inter / float(aw * ah + bw * bh - inter) if inter else 0.0


def fingerprint(crop: np.ndarray) -> str:
    """A 64-bit perceptual hash (DCT of the 32x32 grey face): near-identical faces share most bits."""
    grey = cv2.resize(cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY), (32, 32)).astype(np.float32)
    low = cv2.dct(grey)[:8, :8].flatten()
    bits = low > np.median(low[1:])
    return f"{int(''.join('1' if b else '0' for b in bits), 2):016x}"


class FaceTracker:
    def __init__(self, frame_width: int):
        self.cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
        self.min_size = max(24, frame_width // 20)
        self.tracks: list[Track] = []
        self.size = (1, 1)

    def feed(self, frame) -> None:
        self.size = (frame.image.shape[1], frame.image.shape[0])
        grey = cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY)  # equalising made the cascade miss real faces
        found, _, weights = self.cascade.detectMultiScale3(grey, scaleFactor=1.1, minNeighbors=4,
                                                            minSize=(self.min_size, self.min_size),
                                                            outputRejectLevels=True)
        for box, weight in zip(found, weights):
            box = tuple(int(v) for v in box)
            # The cascade's last-stage weight squashed to 0..1: real faces scored 4.8-7.3, false hits 0.4-2.7.
            confidence = float(1 / (1 + np.exp(-(float(weight) - 3.0))))
            live = [t for t in self.tracks if frame.ms - t.last[0] <= GAP_MS]
            match = max(live, key=lambda t: _iou(t.last[1], box), default=None)
            if match is None or _iou(match.last[1], box) < 0.2:
                match = Track(len(self.tracks))
                self.tracks.append(match)
            match.boxes.append((frame.ms, box, confidence))
            x, y, w, h = box
            if w * h > match.crop_area:
                pad = int(0.2 * w)
                image = frame.image
                match.crop = image[max(0, y - pad):y + h + pad, max(0, x - pad):x + w + pad].copy()
                match.crop_area = w * h

    def results(self, step_ms: int, threshold: float) -> list[dict]:
        """Tracks with time ranges, best crop, fingerprint, and face centres normalised to the frame (0..1)."""
        width, height = self.size
        out = []
        for track in self.tracks:
            kept = [(ms, box, c) for ms, box, c in track.boxes if c >= threshold]
            if not kept:
                continue
            instances, start, prev, scores = [], kept[0][0], kept[0][0], [kept[0][2]]
            for ms, _, c in kept[1:]:
                if ms - prev > GAP_MS:
                    instances.append({"start_ms": start, "end_ms": prev + step_ms, "confidence": round(max(scores), 3)})
                    start, scores = ms, []
                prev = ms
                scores.append(c)
            instances.append({"start_ms": start, "end_ms": prev + step_ms, "confidence": round(max(scores), 3)})
            out.append({"track_id": track.track_id, "fingerprint": fingerprint(track.crop), "instances": instances,
                        "crop": track.crop,
                        "centres": [(ms, (b[0] + b[2] / 2) / width, (b[1] + b[3] / 2) / height) for ms, b, _ in kept]})
        return out

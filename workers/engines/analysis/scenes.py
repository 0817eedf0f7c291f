"""Camera shots: PySceneDetect's content detector fed the shared sampled frames (no second decode)."""
from __future__ import annotations

from scenedetect.common import FrameTimecode
from scenedetect.detectors import ContentDetector


class SceneCuts:
    def __init__(self, fps: float, threshold: float = 27.0):
        self.fps = float(fps)
        self.detector = ContentDetector(threshold=threshold, min_scene_len=max(1, int(fps * 0.5)))
        self.cuts: list[int] = []

    def feed(self, frame) -> None:
        for cut in self.detector.process_frame(FrameTimecode(frame.index, self.fps), frame.image):
            self.cuts.append(int(round(cut.get_frames() * 1000 / self.fps)))

    def scenes(self, duration_ms: int) -> list[dict]:
        bounds = [0] + [c for c in sorted(set(self.cuts)) if 0 < c < duration_ms] + [duration_ms]
        return [{"index": n, "start_ms": a, "end_ms": b} for n, (a, b) in enumerate(zip(bounds, bounds[1:])) if b > a]

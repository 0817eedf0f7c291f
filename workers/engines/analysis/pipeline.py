"""The frame pass: one decode feeds every requested frame analyser; scene thumbnails and face crops are written."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2

from workers.engines.analysis import autocenter, frames, moderation, ocr
from workers.engines.analysis.faces import FaceTracker
from workers.engines.analysis.scenes import SceneCuts

FRAME_FEATURES = {"scenes", "faces", "autocenter", "ocr", "content_moderation"}


@dataclass
class FramePass:
    scenes: list[dict] = field(default_factory=list)
    faces: list[dict] = field(default_factory=list)
    autocenter: list[dict] = field(default_factory=list)
    ocr: list[dict] = field(default_factory=list)
    content_moderation: dict | None = None
    files: list[tuple[str, Path]] = field(default_factory=list)  # (role, path): scene thumbnails, face crops
    frames_decoded: int = 0
    frames_analysed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per analyser, and "decode" for the shared pass


def run(path: Path, width: int, height: int, duration_ms: int, features: set[str], profile: str,
        threshold: float, work: Path, still: bool = False) -> FramePass:
    fps, _, every = frames.PROFILES[profile]
    step_ms = int(1000 * every / fps)
    want_faces = bool(features & {"faces", "autocenter"})
    cuts = SceneCuts(fps)
    tracker = FaceTracker(min(width, frames.PROFILES[profile][1])) if want_faces else None
    reader = ocr.TextReader(step_ms) if "ocr" in features else None
    moderator = moderation.Moderator(step_ms) if "content_moderation" in features else None
    out = FramePass()
    thumbs: dict[int, Path] = {}
    seen_cuts = 0
    clock = time.perf_counter()
    spent = out.seconds

    def charge(name: str, since: float) -> float:
        now = time.perf_counter()
        spent[name] = spent.get(name, 0.0) + now - since
        return now

    for frame in frames.sample(path, width, height, profile, still, media_s=duration_ms / 1000):
        clock = charge("decode", clock)
        out.frames_decoded += 1
        cuts.feed(frame)
        clock = charge("scenes", clock)
        if frame.index == 0 or len(cuts.cuts) > seen_cuts:  # the first frame of each shot is its thumbnail
            seen_cuts = len(cuts.cuts)
            target = work / f"scene-{len(thumbs):04d}.jpg"
            cv2.imwrite(str(target), frame.image, [cv2.IMWRITE_JPEG_QUALITY, 85])
            thumbs[len(thumbs)] = target
        if not frame.heavy:
            continue
        out.frames_analysed += 1
        for name, analyser in (("faces", tracker), ("ocr", reader), ("content_moderation", moderator)):
            if analyser is not None:
                analyser.feed(frame)
                clock = charge(name, clock)
    out.scenes = cuts.scenes(duration_ms)
    for scene in out.scenes:
        if scene["index"] in thumbs:
            out.files.append((f"scene:{scene['index']}", thumbs[scene["index"]]))
    if tracker is not None:
        found = tracker.results(step_ms, threshold)
        for face in found:
            crop = work / f"face-{face['track_id']:03d}.jpg"
            cv2.imwrite(str(crop), face.pop("crop"), [cv2.IMWRITE_JPEG_QUALITY, 90])
            out.files.append((f"face:{face['track_id']}", crop))
        out.faces = found
        out.autocenter = autocenter.points(out.scenes, found, step_ms)
    if reader is not None:
        out.ocr = reader.results(threshold)
    if moderator is not None:
        out.content_moderation = moderator.results(threshold)
    return out

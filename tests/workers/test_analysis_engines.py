"""The local frame analysers on video made at test time: cuts at known times, a tracked face, burned-in text."""
from __future__ import annotations

import difflib
from pathlib import Path

import cv2
import pytest

from workers.engines.analysis import pipeline

from tests.media import CAPTION
from tests.media import SHOT_CUTS_MS as CUTS_MS


@pytest.fixture(scope="module")
def shots(media) -> Path:
    return media["shots_mp4"]


@pytest.fixture(scope="module")
def analysed(shots, tmp_path_factory):
    return pipeline.run(shots, 1280, 720, 8000, {"scenes", "faces", "autocenter", "ocr", "content_moderation"},
                        "balanced", 0.5, tmp_path_factory.mktemp("analysis"))


def test_scene_cuts_are_found_within_a_tenth_of_a_second(analysed):
    starts = [s["start_ms"] for s in analysed.scenes]
    assert len(starts) == 3 and starts[0] == 0
    assert all(abs(found - cut) <= 100 for found, cut in zip(starts[1:], CUTS_MS))
    assert {role for role, _ in analysed.files} >= {"scene:0", "scene:1", "scene:2"}


def test_the_astronaut_is_one_track_across_her_shot(analysed):
    [face] = analysed.faces
    [span] = face["instances"]
    assert abs(span["start_ms"] - 2000) <= 500 and abs(span["end_ms"] - 5000) <= 500
    assert len(face["fingerprint"]) == 16 and span["confidence"] >= 0.5
    crop = next(path for role, path in analysed.files if role == "face:0")
    assert cv2.imread(str(crop)).shape[0] >= 40
    centred = [p for p in analysed.autocenter if p["scene"] == 1]
    assert centred and all(0.3 < p["x"] < 0.7 and 0.1 < p["y"] < 0.5 for p in centred)


def test_burned_in_text_is_read_at_the_right_time(analysed):
    best = max(analysed.ocr, key=lambda e: difflib.SequenceMatcher(None, e["text"], CAPTION).ratio())
    assert difflib.SequenceMatcher(None, best["text"], CAPTION).ratio() >= 0.9
    [span] = best["instances"]
    assert abs(span["start_ms"] - 5000) <= 500 and span["end_ms"] >= 7500
    assert all("BREAKING" in e["text"] for e in analysed.ocr)  # no junk read off the photo


def test_benign_frames_are_not_flagged(analysed):
    assert analysed.content_moderation == {"is_safe": True, "signals": []}


def test_one_opencv_in_the_environment():
    from importlib import metadata

    installed = {d.metadata["Name"].lower() for d in metadata.distributions()}
    assert "opencv-python-headless" in installed
    assert not installed & {"opencv-python", "opencv-contrib-python"}  # they would overwrite the headless build
    assert hasattr(cv2, "CascadeClassifier") and Path(cv2.data.haarcascades).is_dir()

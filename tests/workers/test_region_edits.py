"""The local generation provider without a server: prompts read into operations, and every operation rendered by
ffmpeg and decoded — changed where it should be, the source's pixels elsewhere — with its local measure agreeing."""
from __future__ import annotations

import pytest

from domain.variants import operations
from domain.variants import scoring as words
from tests.editor import make_video
from workers.engines.editing import regions, scoring

W, H = 640, 360
BOX = {"x": 0.0, "y": 0.75, "width": 0.5, "height": 0.2}


@pytest.mark.parametrize("prompt, expected", [
    ("Blur the face", "blur"), ("please anonymise the person on the left", "blur"),
    ("pixelate the licence plate", "pixelate"), ("Remove the logo", "remove"), ("get rid of the watermark", "remove"),
    ("zoom in on the speaker", "zoom"), ("close-up of the product", "zoom"), ("spotlight the singer", "spotlight"),
    ("darken the background", "spotlight"), ("make it black and white", "grayscale"), ("B&W please", "grayscale"),
    ("desaturate the sky", "grayscale"), ("add a dragon", None), ("", None),
])
def test_prompts_map_to_operations(prompt, expected):
    assert operations.operation_for(prompt) == expected


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("regions"))


@pytest.mark.parametrize("operation", sorted(operations.OPERATIONS))
async def test_each_operation_renders_and_its_local_measure_shows_it(operation, source, tmp_path):
    box = regions.pixel_box(BOX, W, H)
    out = await regions.render(source, 1.0, 2.0, regions.video_filter(operation, 1.0, box, W, H), True,
                               tmp_path / "v.mp4")
    original = scoring.frames(source, 1.0, 2.0, W, H, count=3)
    variant = scoring.frames(out, 0.0, 2.0, W, H, count=3)
    assert variant.shape == original.shape
    metrics = scoring.measure(original, variant, box, operation, 1.0)
    judged = words.against_prompt_locally(operation, metrics)
    assert judged["fidelity_to_prompt"] == "high", (operation, metrics)
    if operation in ("blur", "pixelate", "remove", "grayscale"):  # inside changed, outside the source's
        assert metrics["inside"]["psnr"] < 35 and metrics["outside"]["psnr"] >= 40, metrics
        assert words.against_original(operation, metrics)["fidelity_to_prompt"] == "high"
    preview = await regions.preview(out, 1.0, tmp_path / "v.jpg")
    assert preview.read_bytes()[:2] == b"\xff\xd8"


async def test_a_measure_refuses_an_operation_that_did_not_happen(source, tmp_path):
    """Nothing done (a plain re-encode) is judged `low` for blur and black and white: the measures can fail."""
    box = regions.pixel_box(BOX, W, H)
    out = await regions.render(source, 1.0, 2.0, "[0:v]format=yuv420p[v]", True, tmp_path / "same.mp4")
    metrics = scoring.measure(scoring.frames(source, 1.0, 2.0, W, H, count=3),
                              scoring.frames(out, 0.0, 2.0, W, H, count=3), box, "blur", 1.0)
    for operation in ("blur", "grayscale", "remove"):
        assert words.against_prompt_locally(operation, metrics)["fidelity_to_prompt"] == "low", operation
    assert words.against_original("blur", metrics)["fidelity_to_prompt"] == "partial"  # untouched, but not changed

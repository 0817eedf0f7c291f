"""The renderer's pure parts and its autoframing fallback: output sizes, the smoothed crop path, export paths,
the ASS layout of a style, and the face/autocenter pass a clip runs when the asset has no analysis."""
from __future__ import annotations

import pysubs2
import pytest

from domain.clips import geometry
from domain.errors import ValidationFailed
from domain.exports import paths
from domain.subtitles.cues import Cue
from workers.engines import clips as renderer
from workers.handlers.clips import _autoframe


@pytest.mark.parametrize("source, ratio, out", [
    ((1920, 1080), (9, 16), (1080, 1920)), ((3840, 2160), (9, 16), (1080, 1920)), ((1920, 1080), (1, 1), (1080, 1080)),
    ((1920, 1080), (4, 5), (1080, 1350)), ((1920, 1080), (16, 9), (1920, 1080)), ((1920, 1080), (3, 4), (1080, 1440)),
    ((1280, 720), (9, 16), (720, 1280)), ((640, 360), (4, 3), (480, 360)), ((1080, 1920), (16, 9), (1920, 1080)),
])
def test_output_size_follows_the_ratio_and_never_upscales_past_the_short_side(source, ratio, out):
    frame = geometry.frame(*source, ratio)
    assert (frame.out_w, frame.out_h) == out
    assert frame.crop_w <= source[0] and frame.crop_h <= source[1]
    assert abs(frame.crop_w / frame.crop_h - ratio[0] / ratio[1]) < 0.01


def test_the_crop_path_glides_holds_still_and_takes_cuts_at_once():
    still = geometry.crop_path([(0, 0.5), (2000, 0.52)], 1920, 606, 2000)
    assert len({x for _, x in still}) == 1  # inside the dead zone: no motion at all
    moving = geometry.crop_path([(0, 0.2), (1000, 0.8)], 1920, 606, 3000)
    steps = [b[1] - a[1] for a, b in zip(moving, moving[1:])]
    assert max(steps) <= geometry.MAX_PAN_PER_S * 1920 * geometry.STEP_S + 1  # the pan speed is capped
    assert moving[-1][1] > moving[0][1] + 500
    cut = geometry.crop_path([(0, 0.1), (990, 0.1), (1000, 0.9)], 1920, 606, 2000)
    assert cut[5][1] - cut[3][1] > 1000  # a jump of more than half the frame is a cut, taken at once
    assert all(0 <= x <= 1920 - 606 for _, x in moving + cut)
    assert "between(t,0.25,0.5)" in geometry.expression(moving)


def test_export_paths():
    ids = {"asset_id": "A", "video_clip_id": "C"}
    assert paths.render(None, "C.mp4", clip=True, **ids) == "mediagraph/A/C.mp4"
    assert paths.render("out/{asset_external_id}/{video_clip_id}.mp4", "C.mp4", clip=True, asset_external_id="ext",
                        **ids) == "out/ext/C.mp4"
    assert paths.render("out/{asset_external_id}/{video_clip_id}.mp4", "T.en.vtt", asset_id="A") == "out/A/T.en.vtt"
    assert paths.render("/x/../{asset_id}/", "m.json", asset_id="A") == "A/m.json"
    for bad in ("{nope}/x", "../escape/{asset_id}", "{asset_id"):
        with pytest.raises(ValidationFailed):
            paths.validate(bad, ["exportPath"])


def test_ass_places_each_line_by_the_style(tmp_path):
    style = {**renderer.DEFAULT_STYLE, "font_size_px": 50, "line_height": 1.5, "vertical_position_pct": 0.1,
             "shadow_color": "#112233", "shadow_offset_x_px": 3, "shadow_offset_y_px": 2,
             "background_color": "#000000", "background_opacity": 0.5}
    path = renderer.ass_file([Cue(0, 1000, ("first line", "second line")), Cue(0, 1000, ("[Music]",), kind="sound")],
                             style, 1080, 1920, tmp_path / "s.ass")
    subs = pysubs2.load(str(path))
    assert (subs.info["PlayResX"], subs.info["PlayResY"]) == ("1080", "1920")
    default = subs.styles["Default"]
    assert default.fontname == "DejaVu Sans" and default.fontsize == 50 and default.borderstyle == 3
    assert default.outlinecolor.a == 128  # half-opaque box
    lines = {e.plaintext: e for e in subs.events}
    assert lines["second line"].marginv == 192 and lines["first line"].marginv == 192 + 75  # 1.5 × 50 px apart
    assert lines["[Music]"].style == "Sound"
    assert "\\xshad3.0\\yshad2.0" in lines["first line"].text


def test_autoframing_runs_the_face_pass_when_the_asset_has_none(media, tmp_path):
    frame = geometry.frame(1280, 720, (9, 16))
    plan = renderer.Plan(media["face_mp4"], 1.0, 4.0, 1280, 720, 25.0, True, frame)
    source = _autoframe(plan, None, media["face_mp4"], 8000, tmp_path)
    assert source == "computed" and plan.crop_path["axis"] == "x"
    offsets = [x for _, x in plan.crop_path["points"]]
    assert offsets[-1] > offsets[0] + 200  # the face moves right; so does the window
    still = renderer.Plan(media["silent_mp4"], 0.0, 1.0, 160, 120, 25.0, False, geometry.frame(160, 120, (9, 16)))
    assert _autoframe(still, None, media["silent_mp4"], 2000, tmp_path) == "centered"
    assert still.notes and still.crop_path is None

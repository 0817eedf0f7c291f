"""The clip renderer: one ffmpeg pass per clip (trim, reframe, overlay, burned ASS subtitles, intro and outro joined),
or a keyframe-aligned stream copy; and the ASS file built with pysubs2 from a branding's subtitle style."""
from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import ffmpeg
import pysubs2

from domain.clips import geometry
from domain.errors import MediaUnreadable, UnsupportedMedia
from domain.subtitles.cues import Cue
from workers.engines import formats, processes

REFERENCE_SHORT_SIDE = 1080  # style sizes are pixels on a 1080-line frame, scaled to the output's short side
ENCODE = {"vcodec": "libx264", "preset": "veryfast", "crf": 21, "pix_fmt": "yuv420p", "acodec": "aac",
          "audio_bitrate": "160k", "ar": 48000, "ac": 2, "movflags": "+faststart"}


@dataclass(frozen=True)
class Bumper:
    """An intro or outro: scaled and padded to the clip's size, silent audio added when it has none."""

    path: Path
    duration_s: float
    has_audio: bool


@dataclass(frozen=True)
class Overlay:
    path: Path
    position: str = "top_right"
    width_pct: float = 0.2
    margin_pct: float = 0.04
    opacity: float = 1.0


@dataclass
class Plan:
    source: Path
    start_s: float
    duration_s: float
    src_w: int
    src_h: int
    fps: float
    has_audio: bool
    frame: geometry.Frame
    crop_x: str = "0"
    crop_y: str = "0"
    overlay: Overlay | None = None
    intro: Bumper | None = None
    outro: Bumper | None = None
    subtitles: Path | None = None
    notes: list[str] = field(default_factory=list)
    crop_path: dict | None = None  # a summary of the autoframing path: (seconds, offset) every second

    @property
    def total_s(self) -> float:
        return self.duration_s + sum(b.duration_s for b in (self.intro, self.outro) if b)


def _audio(stream, has_audio: bool, duration_s: float):
    """48 kHz stereo, padded or cut to exactly the segment's video length so the joins stay in sync."""
    if not has_audio:
        stream = ffmpeg.input("anullsrc=r=48000:cl=stereo", f="lavfi", t=f"{duration_s:.3f}").audio
    return (stream.filter("aresample", 48000).filter("aformat", sample_fmts="fltp", channel_layouts="stereo")
            .filter("apad").filter("atrim", duration=f"{duration_s:.3f}"))


def _bumper(bumper: Bumper, plan: Plan):
    stream = ffmpeg.input(str(bumper.path), **formats.INPUT)
    out_w, out_h = plan.frame.out_w, plan.frame.out_h
    video = (stream.video.filter("scale", out_w, out_h, force_original_aspect_ratio="decrease")
             .filter("pad", out_w, out_h, "(ow-iw)/2", "(oh-ih)/2").filter("setsar", 1)
             .filter("fps", plan.fps).filter("format", "yuv420p")
             .filter("trim", duration=f"{bumper.duration_s:.3f}").filter("setpts", "PTS-STARTPTS"))
    return video, _audio(stream.audio if bumper.has_audio else None, bumper.has_audio, bumper.duration_s)


def _overlay(video, overlay: Overlay, plan: Plan):
    out_w, out_h = plan.frame.out_w, plan.frame.out_h
    image = ffmpeg.input(str(overlay.path), **formats.INPUT).video
    margin = round(overlay.margin_pct * min(out_w, out_h))
    if overlay.position == "full":
        image, x, y = image.filter("scale", out_w, out_h), "0", "0"
    else:
        image = image.filter("scale", max(2, round(overlay.width_pct * out_w)), -1)
        x = {"left": str(margin), "right": f"W-w-{margin}", "center": "(W-w)/2"}
        y = {"top": str(margin), "bottom": f"H-h-{margin}", "center": "(H-h)/2"}
        vertical, _, horizontal = overlay.position.partition("_")
        x, y = x[horizontal or "center"], y[vertical]
    if overlay.opacity < 1:
        image = image.filter("format", "rgba").filter("colorchannelmixer", aa=f"{overlay.opacity:.3f}")
    return ffmpeg.overlay(video, image, x=x, y=y, eof_action="repeat")


def graph(plan: Plan, out: Path):
    """The whole clip as one ffmpeg output: nothing is encoded twice."""
    source = ffmpeg.input(str(plan.source), ss=f"{plan.start_s:.3f}", t=f"{plan.duration_s:.3f}", **formats.INPUT)
    frame = plan.frame
    video = source.video
    if (frame.crop_w, frame.crop_h) != (plan.src_w, plan.src_h):
        video = video.filter("crop", frame.crop_w, frame.crop_h, plan.crop_x, plan.crop_y)
    video = video.filter("scale", frame.out_w, frame.out_h, flags="bicubic").filter("setsar", 1)
    if plan.overlay is not None:
        video = _overlay(video, plan.overlay, plan)
    if plan.subtitles is not None:
        video = video.filter("ass", str(plan.subtitles))
    video = video.filter("format", "yuv420p")
    audio = _audio(source.audio if plan.has_audio else None, plan.has_audio, plan.duration_s)
    parts = []
    if plan.intro is not None:
        parts += list(_bumper(plan.intro, plan))
    parts += [video, audio]
    if plan.outro is not None:
        parts += list(_bumper(plan.outro, plan))
    if len(parts) > 2:
        joined = ffmpeg.concat(*parts, v=1, a=1).node
        video, audio = joined[0], joined[1]
    return ffmpeg.output(video, audio, str(out), **ENCODE).global_args("-hide_banner", "-nostats", "-loglevel", "error")


def stream_copy(source: Path, start_s: float, duration_s: float, out: Path):
    """A cut without re-encoding: it starts at the keyframe at or before `start_s` (marked so on the clip)."""
    return (ffmpeg.input(str(source), ss=f"{start_s:.3f}", t=f"{duration_s:.3f}", **formats.INPUT)
            .output(str(out), c="copy", map="0", avoid_negative_ts="make_zero", movflags="+faststart")
            .global_args("-hide_banner", "-nostats", "-loglevel", "error"))


_TIME = re.compile(rb"^out_time_us=(\d+)")


async def run(stream, total_s: float, on_progress: Callable[[float], Awaitable[None]] | None = None) -> None:
    """Run one ffmpeg command, reporting the share of output written (from `-progress`) as it goes."""
    args = stream.overwrite_output().compile()
    args = args[:1] + ["-progress", "pipe:1"] + args[1:]
    process = await processes.start(args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    errors = asyncio.ensure_future(process.stderr.read())
    reported, limit = 0.0, processes.limit(total_s)
    try:
        async with asyncio.timeout(limit):
            async for line in process.stdout:
                match = _TIME.match(line)
                if match and on_progress is not None and total_s > 0:
                    share = min(1.0, int(match.group(1)) / 1e6 / total_s)
                    if share - reported >= 0.1:
                        reported = share
                        await on_progress(share)
            code = await process.wait()
    except TimeoutError:
        await processes.stop(process)
        raise processes.ToolTimeout(f"ffmpeg ran past its {limit:.0f} s limit and was stopped") from None
    except BaseException:
        await processes.stop(process)
        raise
    stderr = (await errors).decode(errors="replace").strip().splitlines()
    if code != 0 and (refused := formats.refusal("\n".join(stderr))):
        raise UnsupportedMedia(f"unsupported media: {refused}")
    if code != 0:
        raise MediaUnreadable(f"the clip could not be rendered: {stderr[-1] if stderr else f'ffmpeg exit {code}'}")


# ---------------------------------------------------------------- subtitles as ASS
def _colour(hex_value: str | None, opacity: float = 1.0) -> pysubs2.Color:
    value = (hex_value or "#000000").lstrip("#")
    alpha = round(255 * (1 - max(0.0, min(1.0, opacity))))  # ASS alpha: 0 is opaque
    return pysubs2.Color(int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), alpha)


DEFAULT_STYLE = {"font_family": "DejaVu Sans", "text_color": "#FFFFFF", "font_size_px": 52, "font_weight": 600,
                 "line_height": 1.2, "vertical_position_pct": 0.1, "shadow_blur": 0.0, "shadow_color": None,
                 "shadow_opacity_pct": 1.0, "shadow_offset_x_px": 1, "shadow_offset_y_px": 1,
                 "background_color": None, "background_opacity": 0.0, "stroke_color": "#000000",
                 "stroke_thickness_px": 3}


def ass_file(cues: list[Cue], style: dict, out_w: int, out_h: int, path: Path) -> Path:
    """Each cue line is its own event so `line_height` is honoured exactly (libass has no line-spacing setting)."""
    scale = min(out_w, out_h) / REFERENCE_SHORT_SIDE
    size = style["font_size_px"] * scale
    boxed = bool(style.get("background_color")) and style.get("background_opacity", 0) > 0
    outline = style["stroke_thickness_px"] * scale
    shadowed = bool(style.get("shadow_color"))
    subs = pysubs2.SSAFile()
    subs.info.update({"PlayResX": str(out_w), "PlayResY": str(out_h), "ScaledBorderAndShadow": "yes",
                      "WrapStyle": "2"})
    base = pysubs2.SSAStyle(
        fontname=style["font_family"], fontsize=size, bold=style["font_weight"] >= 600,
        primarycolor=_colour(style["text_color"]),
        outlinecolor=_colour(style["background_color"], style["background_opacity"]) if boxed
        else _colour(style["stroke_color"]),
        backcolor=_colour(style.get("shadow_color"), style["shadow_opacity_pct"]),
        borderstyle=3 if boxed else 1, outline=max(outline, size * 0.2) if boxed else outline,
        shadow=0, alignment=pysubs2.Alignment.BOTTOM_CENTER, marginl=round(out_w * 0.05),
        marginr=round(out_w * 0.05), marginv=round(style["vertical_position_pct"] * out_h))
    subs.styles["Default"] = base
    subs.styles["Sound"] = base.copy()
    subs.styles["Sound"].alignment = pysubs2.Alignment.TOP_CENTER
    tags = ""
    if shadowed:
        tags = (f"{{\\xshad{style['shadow_offset_x_px'] * scale:.1f}\\yshad{style['shadow_offset_y_px'] * scale:.1f}"
                + (f"\\blur{style['shadow_blur'] * scale:.1f}" if style["shadow_blur"] else "") + "}")
    step = size * style["line_height"]
    for cue in cues:
        name = "Sound" if cue.kind == "sound" else "Default"
        lines = list(cue.lines) if name == "Default" else list(reversed(cue.lines))
        for from_edge, line in enumerate(reversed(lines)):
            margin = round(subs.styles[name].marginv + from_edge * step)
            subs.events.append(pysubs2.SSAEvent(start=cue.start_ms, end=cue.end_ms, style=name, marginv=margin,
                                                text=tags + line.replace("\n", " ")))
    subs.save(str(path), format_="ass")
    return path

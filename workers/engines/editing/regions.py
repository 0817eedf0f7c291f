"""Region edits ffmpeg really does, on a box given in relative units: blur, pixelate, remove, zoom, spotlight and
black and white, each at a strength; rendered over a time range into an H.264/AAC variant plus a JPEG preview."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from domain.errors import MediaUnreadable, UnsupportedMedia
from workers.engines import formats, processes


@dataclass(frozen=True)
class PixelBox:
    x: int
    y: int
    w: int
    h: int

    def as_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "width": self.w, "height": self.h}


def _even(value: float) -> int:
    return int(value) // 2 * 2


def pixel_box(box: dict, width: int, height: int) -> PixelBox:
    """The relative box in pixels, on even coordinates (4:2:0 chroma: an odd offset would shift colour), at least
    2x2 and inside the frame."""
    x = min(_even(box["x"] * width), width - 2)
    y = min(_even(box["y"] * height), height - 2)
    w = max(2, min(_even(box["width"] * width + 1), width - x))
    h = max(2, min(_even(box["height"] * height + 1), height - y))
    return PixelBox(x, y, w, h)


def zoom_rect(box: PixelBox, width: int, height: int, strength: float) -> PixelBox:
    """The crop a zoom shows: the box widened to the frame's aspect around its centre, then `strength` of the way
    from the whole frame to it (1.0 fills the frame with the box)."""
    aspect = width / height
    tw = box.w if box.w / box.h >= aspect else box.h * aspect  # the target width; its height follows the aspect
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    w = max(16.0, width + (tw - width) * strength)
    h = max(16.0, w / aspect)
    x = min(max(0.0, cx - w / 2), width - w)
    y = min(max(0.0, cy - h / 2), height - h)
    return PixelBox(_even(x), _even(y), max(2, _even(w)), max(2, _even(h)))


def _inside(box: PixelBox, effect: str) -> str:
    """Apply `effect` to the box only and lay it back at the same place: pixels outside are the source's."""
    return (f"[0:v]split=2[base][cut];[cut]crop={box.w}:{box.h}:{box.x}:{box.y},{effect}[fx];"
            f"[base][fx]overlay={box.x}:{box.y}:format=auto,format=yuv420p[v]")


def video_filter(operation: str, strength: float, box: PixelBox, width: int, height: int) -> str:
    """The filter graph (input [0:v], output [v]) of one operation at one strength (0..1]."""
    side = min(box.w, box.h)
    if operation == "blur":
        return _inside(box, f"gblur=sigma={max(1.5, strength * max(4.0, side / 6)):.2f}:steps=3")
    if operation == "pixelate":
        block = max(2, round(strength * max(6, side / 8)))
        small_w, small_h = max(1, box.w // block), max(1, box.h // block)
        return _inside(box, f"scale={small_w}:{small_h}:flags=area,scale={box.w}:{box.h}:flags=neighbor")
    if operation == "remove":
        # delogo interpolates the box from its border; it needs a one-pixel margin inside the frame.
        x, y = max(1, box.x), max(1, box.y)
        w, h = min(box.w, width - 1 - x), min(box.h, height - 1 - y)
        smooth = max(0.5, strength * 3)
        return (f"[0:v]delogo=x={x}:y={y}:w={w}:h={h}[filled];[filled]split=2[base][cut];"
                f"[cut]crop={box.w}:{box.h}:{box.x}:{box.y},gblur=sigma={smooth:.2f}[fx];"
                f"[base][fx]overlay={box.x}:{box.y}:format=auto,format=yuv420p[v]")
    if operation == "zoom":
        rect = zoom_rect(box, width, height, strength)
        return f"[0:v]crop={rect.w}:{rect.h}:{rect.x}:{rect.y},scale={width}:{height}:flags=lanczos,setsar=1,format=yuv420p[v]"
    if operation == "spotlight":
        keep = 1 - 0.65 * strength
        return (f"[0:v]split=2[base][cut];[base]lutyuv=y=16+(val-16)*{keep:.3f}[dark];"
                f"[cut]crop={box.w}:{box.h}:{box.x}:{box.y}[fx];"
                f"[dark][fx]overlay={box.x}:{box.y}:format=auto,format=yuv420p[v]")
    if operation == "grayscale":
        # Every strength is black and white; the strength lifts the contrast a little.
        return _inside(box, f"hue=s=0,eq=contrast={1 + 0.25 * strength:.3f}")
    raise ValueError(f"unknown operation {operation}")


async def _run(argv: list[str], what: str, media_s: float = 0.0) -> None:
    process = await processes.start(argv, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    _, stderr = await processes.communicate(process, argv, timeout=processes.limit(media_s))
    if process.returncode != 0:
        text = stderr.decode(errors="replace").strip()
        if refused := formats.refusal(text):
            raise UnsupportedMedia(f"unsupported media: {refused}")
        raise MediaUnreadable(f"{what}: {text.splitlines()[-1] if text else f'ffmpeg exit {process.returncode}'}")


async def render(source: Path, start_s: float, duration_s: float, graph: str, has_audio: bool, out: Path) -> Path:
    """The range [start_s, start_s + duration_s) of `source` through `graph`, encoded once (same size and rate)."""
    audio = ["-map", "0:a:0", "-c:a", "aac", "-b:a", "192k"] if has_audio else ["-an"]
    argv = ["ffmpeg", "-v", "error", "-nostdin", "-y", *formats.ARGV, "-ss", f"{start_s:.3f}", "-t",
            f"{duration_s:.3f}", "-i", str(source), "-filter_complex", graph, "-map", "[v]", "-c:v", "libx264",
            "-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p", *audio, "-movflags", "+faststart", str(out)]
    await _run(argv, "the variant could not be rendered", duration_s)
    return out


async def preview(video: Path, at_s: float, out: Path) -> Path:
    """One JPEG frame of a rendered variant."""
    argv = ["ffmpeg", "-v", "error", "-nostdin", "-y", *formats.ARGV, "-ss", f"{max(0.0, at_s):.3f}", "-i",
            str(video), "-frames:v", "1", "-q:v", "3", str(out)]
    await _run(argv, "the variant preview could not be made")
    return out

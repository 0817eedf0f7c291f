"""Editor test helpers: a generated source video whose every frame says when it is, and project/timeline flows.

The source (`make_video`): 10 s, 640x360, 25 fps, H.264 (a keyframe every 2 s, so cuts land between keyframes) + AAC
440 Hz tone. Each second has its own flat colour (`COLOURS`, read back with `second_of`), and a white square slides
left to right at `SQUARE_SPEED` px/s along the bottom band (read back with `time_of`, about ±1 frame), so a decoded
frame identifies the source second and the frame inside it.
"""
from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import cv2
import httpx
import numpy as np

from tests.harness import gql
from tests.media import ffmpeg
from tests.rest_compat.helpers import bearer

WIDTH, HEIGHT, FPS, SECONDS = 640, 360, 25, 10
# One RGB colour per source second, far apart from each other so a re-encoded (or lightly graded) frame still matches.
COLOURS = [(200, 30, 30), (30, 200, 30), (30, 30, 200), (200, 200, 30), (30, 200, 200),
           (200, 30, 200), (230, 130, 30), (120, 60, 20), (128, 128, 128), (20, 20, 20)]
SQUARE, SQUARE_Y, SQUARE_SPEED = 40, 300, 56  # the moving square: size, top row, pixels per second (x = t * speed)
TONE_HZ = 440
VIDEO_NAME = "editor-source.mp4"


def make_video(folder: Path) -> Path:
    """The editor source video in `folder` (made once: later calls reuse the file)."""
    out = folder / VIDEO_NAME
    if out.exists():
        return out
    inputs, labels = [], []
    for n, (r, g, b) in enumerate(COLOURS):
        inputs += ["-f", "lavfi", "-i", f"color=c=0x{r:02x}{g:02x}{b:02x}:s={WIDTH}x{HEIGHT}:r={FPS}:d=1"]
        labels.append(f"[{n}]")
    square, tone = len(COLOURS), len(COLOURS) + 1
    inputs += ["-f", "lavfi", "-i", f"color=c=white:s={SQUARE}x{SQUARE}:r={FPS}:d={SECONDS}"]
    inputs += ["-f", "lavfi", "-i", f"sine=frequency={TONE_HZ}:sample_rate=48000:duration={SECONDS}"]
    # overlay evaluates x per frame (Debian's drawbox 5.1 does not), so the square moves.
    graph = (f"{''.join(labels)}concat=n={len(COLOURS)}:v=1:a=0[bg];"
             f"[bg][{square}]overlay=x='t*{SQUARE_SPEED}':y={SQUARE_Y}:shortest=1[v]")
    partial = out.with_suffix(".part.mp4")
    ffmpeg(*inputs, "-filter_complex", graph, "-map", "[v]", "-map", f"{tone}:a", "-t", str(SECONDS),
           "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", str(2 * FPS), "-keyint_min", str(2 * FPS),
           "-sc_threshold", "0", "-c:a", "aac", "-ac", "2", "-b:a", "128k", "-movflags", "+faststart", str(partial))
    partial.rename(out)
    return out


# --- reading frames back ---------------------------------------------------------------------------------------

def read_image(path: Path) -> np.ndarray:
    image = cv2.imread(str(path))
    assert image is not None, f"not an image: {path}"
    return image


def frame_at(path: Path, seconds: float) -> np.ndarray:
    """One decoded frame of a video (output seeking: exact), as BGR."""
    png = path.with_name(f"{path.stem}.at{round(seconds * 1000)}.png")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(path), "-ss", f"{seconds:.3f}", "-frames:v", "1",
                    str(png)], check=True)
    return read_image(png)


def colour_of(image: np.ndarray) -> tuple[int, int, int]:
    """The mean RGB of the top band (above the moving square), scaled to the source size."""
    band = image[: image.shape[0] * 200 // HEIGHT]
    b, g, r = band.reshape(-1, 3).mean(axis=0)
    return int(r), int(g), int(b)


def second_of(image: np.ndarray) -> int:
    """Which source second a frame shows: the nearest of `COLOURS`."""
    rgb = np.array(colour_of(image))
    return int(np.argmin([np.abs(rgb - np.array(c)).sum() for c in COLOURS]))


def time_of(image: np.ndarray) -> float:
    """Source time of a frame of the ungraded source: the second from its colour, the fraction from the square."""
    scale = image.shape[1] / WIDTH
    row = image[int((SQUARE_Y + SQUARE // 2) * image.shape[0] / HEIGHT)].astype(int)
    white = np.nonzero(row.min(axis=1) > 215)[0]
    assert len(white), "no moving square in this frame"
    return float(white[0] / scale / SQUARE_SPEED)


def mean_luma(image: np.ndarray) -> float:
    return float(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).mean())


def duration_s(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return float(out.strip())


async def download(client: httpx.AsyncClient, url: str, path: Path) -> Path:
    """Fetch a signed URL (absolute or server-relative) into `path`."""
    response = await client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.text[:200])
    path.write_bytes(response.content)
    return path


# --- projects over the editor REST dialect ---------------------------------------------------------------------

async def create_project(client: httpx.AsyncClient, key: str, video_url: str, name: str = "Cut", **extra) -> dict:
    made = await client.post("/api/project", json={"name": name, "description": "a test cut", "video_url": video_url,
                                                   **extra}, headers=bearer(key))
    assert made.status_code in (200, 201), made.text
    return made.json()


async def wait_timeline(client: httpx.AsyncClient, key: str, project_id: str, timeout: float = 180) -> dict:
    """The project once its first segment exists (the source fetched and probed)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        got = await client.get(f"/api/project/{project_id}", headers=bearer(key))
        assert got.status_code == 200, got.text
        project = got.json()
        if project["timeline"]:
            return project
        assert project.get("status") != "failed", project
        assert asyncio.get_running_loop().time() < deadline, f"no timeline: {project}"
        await asyncio.sleep(0.1)


async def ready_project(client: httpx.AsyncClient, key: str, video_url: str, **extra) -> dict:
    """Create a project from a URL and return it with its first (whole-video) segment."""
    project = await create_project(client, key, video_url, **extra)
    return await wait_timeline(client, key, project["id"])


async def timeline(client: httpx.AsyncClient, key: str, project_id: str) -> list[dict]:
    got = await client.get(f"/api/project/{project_id}", headers=bearer(key))
    assert got.status_code == 200, got.text
    return got.json()["timeline"]


PROJECT_GQL = """query($id: ID!) { project(id: $id) { id name status
  timeline { id startTs endTs source orderIndex active } } }"""


async def gql_project(client: httpx.AsyncClient, key: str, project_id: str) -> dict | None:
    return (await gql(client, key, PROJECT_GQL, {"id": project_id}))["data"]["project"]


# --- a frame-counter source (H6: exports and the export bench) -------------------------------------------------
# Each frame carries its own index as 16 bits in a 320x40 band at the top left (bit b: the 20 px column b, white when
# set), drawn by geq from the frame number, so any decoded frame says exactly which source frame it is.
COUNTER_W, COUNTER_H, COUNTER_BITS = 320, 40, 16


def make_counter_video(path: Path, seconds: float, width: int = 320, height: int = 240, fps: int = 25,
                       gop: int = 50, tone_hz: int = 440) -> Path:
    """testsrc2 with the frame-counter band, H.264 High (x264 veryfast, a keyframe every `gop` frames, B-frames)
    and an AAC tone; made once per path."""
    if path.exists():
        return path
    band = (f"nullsrc=s={COUNTER_W}x{COUNTER_H}:r={fps},format=yuv420p,"  # no alpha plane: the band is opaque
            f"geq=lum='if(bitand(N,pow(2,floor(X/20))),235,16)':cb=128:cr=128[band]")
    graph = f"{band};[0:v][band]overlay=0:0:shortest=1,format=yuv420p[v]"
    partial = path.with_suffix(".part.mp4")
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=s={width}x{height}:r={fps}:d={seconds}", "-f", "lavfi", "-i",
           f"sine=frequency={tone_hz}:sample_rate=48000:duration={seconds}", "-filter_complex", graph,
           "-map", "[v]", "-map", "1:a", "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast",
           "-pix_fmt", "yuv420p", "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
           "-c:a", "aac", "-ac", "2", "-b:a", "128k", "-movflags", "+faststart", str(partial))
    partial.rename(path)
    return path


def frame_counters(path: Path) -> list[int]:
    """The source frame index of every decoded frame of `path`, in order."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf",
                          f"crop={COUNTER_W}:{COUNTER_H}:0:0,format=gray", "-f", "rawvideo", "-"],
                         capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, COUNTER_H, COUNTER_W)
    cells = frames[:, 5:35, :].reshape(len(frames), 30, COUNTER_BITS, 20)[:, :, :, 4:16].mean(axis=(1, 3))
    return [int(sum(1 << b for b in range(COUNTER_BITS) if row[b] > 128)) for row in cells]


def stream_durations(path: Path) -> dict[str, float]:
    """Duration of the first video and audio stream (from their packets), by codec type."""
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,duration", "-of", "csv=p=0",
                          str(path)], capture_output=True, text=True, check=True).stdout
    got: dict[str, float] = {}
    for line in out.splitlines():
        kind, _, value = line.partition(",")
        if value not in ("", "N/A"):
            got.setdefault(kind, float(value))
    return got


async def editor_world(uow, viewer, asset_id: str, tag: str) -> tuple[str, str]:
    """The tenant matrix's editor objects, written directly: a project over a ready asset, its timeline opened as the
    probe opens it. Returns (project id, timeline segment id)."""
    import uuid

    from domain.assets import repository as assets_repo
    from domain.editor import repository as editor_repo
    from domain.editor.models import Project
    from domain.editor.timeline import open_first_segment

    asset = await assets_repo.get(uow.session, viewer.tenant_id, uuid.UUID(asset_id))
    project = Project(id=uuid.uuid4(), tenant_id=viewer.tenant_id, name=f"{tag} project", description=tag,
                      asset_id=asset.id)
    editor_repo.add(uow.session, project)
    await uow.session.flush()
    await open_first_segment(uow, asset)
    segments = await editor_repo.active_segments(uow.session, viewer.tenant_id, project.id)
    return str(project.id), str(segments[0].id)


async def variant_world(uow, viewer, project_id: str, segment_id: str, tag: str) -> str:
    """The tenant matrix's variant (H7), written directly: a rendered-looking candidate of the first second."""
    import uuid

    from domain.editor.models import Variant
    from domain.variants import repository as variants_repo

    variant = Variant(id=uuid.uuid4(), tenant_id=viewer.tenant_id, project_id=uuid.UUID(project_id), job_id=None,
                      prompt=f"{tag} blur", start_ms=0, end_ms=1000, box={"x": 0, "y": 0, "width": 1, "height": 1},
                      operation={"operation": "blur", "strength": 1.0, "provider": "local", "index": 0,
                                 "segment_id": segment_id})
    variants_repo.add(uow.session, variant)
    await uow.session.flush()
    return str(variant.id)

"""Helpers for branding and clip tests: branding uploads over REST, waiting for clips, probing and sampling output."""
from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import cv2
import httpx
import numpy as np

from tests.harness import gql
from tests.rest_compat.helpers import bearer

PIPELINE = """query($id: ID!) { asset(id: $id) { jobs(kinds: [VIDEO_ANALYSIS]) { edges { node { status } } } } }"""


async def upload_branding(client: httpx.AsyncClient, key: str, collection: str, path: Path, name: str) -> tuple[dict, dict]:
    """Create an overlay or branding clip, upload its file in one part, and wait for the probe's verdict."""
    made = await client.post(f"/v1/{collection}", json={"name": name, "filename": path.name}, headers=bearer(key))
    assert made.status_code == 201, made.text
    ident = made.json()["id"]
    started = await client.post(f"/v1/{collection}/{ident}/start_upload", json={"parts": 1}, headers=bearer(key))
    assert started.status_code == 200, started.text
    put = await client.put(started.json()["parts"][0]["url"], content=path.read_bytes())
    finished = await client.post(f"/v1/{collection}/{ident}/finish_upload", json={"etags": [put.headers["etag"]]},
                                 headers=bearer(key))
    assert finished.status_code == 200, finished.text
    job_id = finished.json()["upload_job_id"]
    for _ in range(600):
        job = (await client.get(f"/v1/{collection}/{ident}/upload_jobs/{job_id}", headers=bearer(key))).json()
        if job["status"] in {"completed", "failed"}:
            break
        await asyncio.sleep(0.1)
    media = (await client.get(f"/v1/{collection}/{ident}", headers=bearer(key))).json()
    return media, job


async def wait_pipeline(client: httpx.AsyncClient, key: str, asset_id: str) -> None:
    for _ in range(2400):
        edges = (await gql(client, key, PIPELINE, {"id": asset_id}))["data"]["asset"]["jobs"]["edges"]
        if edges and edges[0]["node"]["status"] in {"COMPLETED", "FAILED"}:
            assert edges[0]["node"]["status"] == "COMPLETED"
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the pipeline's analysis never finished")


async def wait_clips(client: httpx.AsyncClient, key: str, asset_id: str, ids: list[str]) -> dict[str, dict]:
    done: dict[str, dict] = {}
    for _ in range(3000):
        for ident in ids:
            if ident not in done:
                clip = (await client.get(f"/v1/assets/{asset_id}/video_clips/{ident}", headers=bearer(key))).json()
                if clip["status"] in {"ready", "failed"}:
                    done[ident] = clip
        if len(done) == len(ids):
            return done
        await asyncio.sleep(0.1)
    raise AssertionError(f"clips never finished: {set(ids) - set(done)}")


def streams(path: Path) -> dict[str, dict]:
    report = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path)],
                                       capture_output=True, text=True, check=True).stdout)
    return {s["codec_type"]: s for s in report["streams"]}


def frame_at(path: Path, seconds: float) -> np.ndarray:
    """One decoded frame (output seeking: exact), as BGR."""
    png = path.with_suffix(f".{int(seconds * 1000)}.png")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(path), "-ss", f"{seconds:.3f}", "-frames:v", "1",
                    str(png)], check=True)
    return cv2.imread(str(png))


def picture_left(image: np.ndarray, row: int) -> int | None:
    """The first column where the moving picture starts, left of it the flat grey (0x303030) background."""
    differs = np.abs(image[row].astype(int) - 0x30).max(axis=1) > 40
    found = np.flatnonzero(differs)
    return int(found[0]) if found.size else None

"""Probe throughput: small images uploaded, their probe jobs run through Redis by 1, 2 and 4 worker processes,
against the same ffprobe + ffmpeg thumbnail commands run by a plain loop with as many lanes, and the same in-process
(PyAV) calls a probe makes, by a plain loop in as many processes, in the same run."""
from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx
import redis

from bench.common import fresh_database, percentile, running_server, table, upload, worker_processes
from workers.engines import formats

IMAGES = int(os.environ.get("BENCH_IMAGES", "200"))
WORKERS = [int(n) for n in os.environ.get("BENCH_WORKERS", "1,2,4").split(",")]
GOAL = 1000  # per minute, with 2 worker processes
JOBS = """query($after: String) { jobs(kinds: [PROBE], first: 100, after: $after) {
  edges { node { id status processedAt completedAt } } pageInfo { hasNextPage endCursor } } }"""


def make_images(folder: Path, count: int) -> list[Path]:
    """A few distinct 320x240 PNGs (a frame of ffmpeg's test pattern each), reused round robin."""
    images = []
    for n in range(min(count, 8)):
        out = folder / f"still-{n}.png"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"testsrc=s=320x240:d=1,hue=h={n * 40}",
                        "-frames:v", "1", str(out)], check=True)
        images.append(out)
    return [images[n % len(images)] for n in range(count)]


def plain_probe(image: Path, out: Path) -> None:
    """What a probe of a still image runs, by hand: ffprobe's report, then the thumbnail."""
    subprocess.run(["ffprobe", "-v", "error", *formats.ARGV, "-print_format", "json", "-show_format",
                    "-show_streams", str(image)], check=True, capture_output=True)
    subprocess.run(["ffmpeg", "-v", "error", *formats.ARGV, "-i", str(image), "-map", "0:0", "-q:v", "3", "-vf",
                    "scale='min(640,iw)':-2", "-vframes", "1", "-y", str(out)], check=True, capture_output=True)


def plain_rate(images: list[Path], lanes: int, folder: Path) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(lanes) as pool:
        list(pool.map(lambda pair: plain_probe(pair[1], folder / f"thumb-{pair[0] % lanes}.jpg"), enumerate(images)))
    return len(images) / (time.perf_counter() - started) * 60


def in_process_probe(pair: tuple[Path, Path]) -> None:
    """What a probe of a still image runs in process (PyAV): the report, then the thumbnail."""
    from workers.engines import libav

    image, out = pair
    report = libav.report(image)
    libav.thumbnail(image, out, 0.0, next(s["index"] for s in report["streams"] if s["codec_type"] == "video"))


def in_process_rate(images: list[Path], lanes: int, folder: Path) -> float:
    """The same calls by a plain loop in `lanes` processes (started and warmed before the clock starts)."""
    with ProcessPoolExecutor(lanes) as pool:
        list(pool.map(in_process_probe, [(images[0], folder / f"warm-{n}.jpg") for n in range(lanes)]))
        started = time.perf_counter()
        list(pool.map(in_process_probe, [(image, folder / f"av-thumb-{n % lanes}.jpg")
                                         for n, image in enumerate(images)], chunksize=4))
        return len(images) / (time.perf_counter() - started) * 60


def steady_rate(done: list[dict]) -> float:
    """Completions per minute between the 10th and 90th percentile completion: worker start-up and the last
    stragglers are left out, so 1, 2 and 4 processes compare on their steady state."""
    times = sorted(datetime.fromisoformat(j["completedAt"]).timestamp() for j in done)
    low, high = percentile(times, 10), percentile(times, 90)
    inside = sum(1 for t in times if low < t <= high)
    return inside / (high - low) * 60 if high > low else float("nan")


async def upload_all(base: str, key: str, images: list[Path]) -> set[str]:
    limit = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
        async def one(path: Path) -> str:
            async with limit:
                return await upload(client, path.name, path.read_bytes())

        return set(await asyncio.gather(*(one(p) for p in images)))


async def wait_done(base: str, key: str, ids: set[str], timeout_s: float = 1800) -> list[dict]:
    deadline = time.time() + timeout_s
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
        while True:
            jobs, after = {}, None
            while True:
                page = (await client.post("/graphql", json={"query": JOBS, "variables": {"after": after}})).json()
                connection = page["data"]["jobs"]
                jobs.update({e["node"]["id"]: e["node"] for e in connection["edges"] if e["node"]["id"] in ids})
                if not connection["pageInfo"]["hasNextPage"]:
                    break
                after = connection["pageInfo"]["endCursor"]
            finished = [j for j in jobs.values() if j["status"] in {"COMPLETED", "FAILED", "CANCELLED"}]
            if len(finished) == len(ids):
                failed = [j for j in finished if j["status"] != "COMPLETED"]
                if failed:
                    raise RuntimeError(f"{len(failed)} probes did not complete: {failed[:3]}")
                return finished
            if time.time() > deadline:
                raise RuntimeError(f"only {len(finished)} of {len(ids)} probes finished")
            await asyncio.sleep(2)


def mediagraph_rate(tmp: Path, images: list[Path], workers: int, redis_url: str) -> float:
    namespace = f"bench-{uuid.uuid4().hex[:6]}"
    data = tmp / f"data-{workers}"
    try:
        with fresh_database() as database_url:
            env = {"REDIS_URL": redis_url, "REDIS_NAMESPACE": namespace}
            if database_url:
                env["DATABASE_URL"] = database_url
            with running_server(data, env, workers=0) as (base, _pid, key):
                ids = asyncio.run(upload_all(base, key, images))  # queued in Redis: no worker runs yet
                with worker_processes(data, env, workers):
                    done = asyncio.run(wait_done(base, key, ids))
    finally:
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(f"{namespace}*"):
            client.delete(key)
    return steady_rate(done)


def main() -> None:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    rows = [("worker processes", "Mediagraph probes/min", "ffprobe+ffmpeg loop/min", "ratio", "PyAV loop/min", "goal")]
    with tempfile.TemporaryDirectory() as tmp:
        images = make_images(Path(tmp), IMAGES)
        for workers in WORKERS:
            ours = mediagraph_rate(Path(tmp), images, workers, redis_url)
            plain = plain_rate(images, workers, Path(tmp))
            in_process = in_process_rate(images, workers, Path(tmp))
            rows.append((str(workers), f"{ours:.0f}", f"{plain:.0f}", f"{ours / plain:.2f}", f"{in_process:.0f}",
                         f">= {GOAL}" if workers == 2 else ""))
    table(f"Probe throughput, {IMAGES} small images (320x240 PNG) per run, Redis broker, "
          f"{'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'}; the plain loop runs as many lanes "
          "as there are worker processes, the PyAV loop as many processes (each `worker` runs its probes in a "
          "short-lane child: SHORT_LANE_PROCESS)", rows)


if __name__ == "__main__":
    main()

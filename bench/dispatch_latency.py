"""Dispatch latency under load: finishUpload returning -> the probe's first `running` event on a subscription,
measured while transcriptions and analyses of earlier uploads run (Redis broker, one worker process)."""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import redis
import websockets

from bench.common import fresh_database, percentile, running_server, table, upload, worker_processes

JOBS = int(os.environ.get("BENCH_JOBS", "200"))
# One worker process by default (long lane, short lane in its child); BENCH_SPLIT_LANES=1: one process per lane.
SPLIT = os.environ.get("BENCH_SPLIT_LANES") == "1"
FEED_EVERY_S = float(os.environ.get("BENCH_FEED_EVERY_S", "6"))  # one more long clip this often
LONG_KINDS = {"TRANSCRIPTION", "VIDEO_ANALYSIS", "MEDIA_ANALYSIS"}
SCRIPT = ("The council met on Tuesday to discuss the new budget for roads and schools. "
          "Several members asked for more time to read the proposal before the vote next week. ") * 3


def make_media(folder: Path) -> tuple[bytes, bytes]:
    """A 1 s tone to probe, and a ~40 s talking video (espeak-ng speech over ffmpeg's test pattern) whose
    upload starts a transcription and then an analysis: the long work the probes must not wait behind."""
    tone, speech, talk = folder / "t.wav", folder / "speech.wav", folder / "talk.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=d=1", str(tone)], check=True)
    subprocess.run(["espeak-ng", "-w", str(speech), SCRIPT], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x360:r=25", "-i", str(speech),
                    "-shortest", "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", str(talk)], check=True)
    return tone.read_bytes(), talk.read_bytes()


async def measure(base: str, key: str, tone: bytes, talk: bytes) -> tuple[list[float], list[int]]:
    headers = {"Authorization": f"Bearer {key}"}
    running: dict[str, float] = {}
    long_running: set[str] = set()
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client, \
            websockets.connect(base.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": "subscription { jobEvents { id kind status } }"}}))

        async def listen():
            async for raw in ws:
                message = json.loads(raw)
                if message.get("type") != "next":
                    continue
                job = message["payload"]["data"]["jobEvents"]
                if job["kind"] in LONG_KINDS:
                    (long_running.add if job["status"] == "RUNNING" else long_running.discard)(job["id"])
                elif job["status"] == "RUNNING" and job["id"] not in running:
                    running[job["id"]] = time.perf_counter()

        async def feed():  # earlier uploads keep arriving, so long work runs for the whole measurement
            while True:
                await upload(client, "talk.mp4", talk)
                await asyncio.sleep(FEED_EVERY_S)

        listener = asyncio.create_task(listen())
        feeder = asyncio.create_task(feed())
        deadline = time.time() + 600
        while len(long_running) < 2:  # the worker has loaded its models and long work is under way
            if time.time() > deadline:
                raise RuntimeError("no long work started")
            await asyncio.sleep(0.5)
        latencies, busy = [], []
        for _ in range(JOBS):
            job = await upload(client, "t.wav", tone)
            returned = time.perf_counter()
            busy.append(len(long_running))
            while job not in running:
                await asyncio.sleep(0.0005)
            latencies.append((running[job] - returned) * 1000)
            await asyncio.sleep(0.25)  # one probe at a time: latency, not a backlog of probes
        feeder.cancel()
        listener.cancel()
    return latencies, busy


def main() -> None:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    namespace = f"bench-{uuid.uuid4().hex[:6]}"
    try:
        with tempfile.TemporaryDirectory() as tmp, fresh_database() as database_url:
            tone, talk = make_media(Path(tmp))
            env = {"REDIS_URL": redis_url, "REDIS_NAMESPACE": namespace}
            if database_url:
                env["DATABASE_URL"] = database_url
            with running_server(Path(tmp) / "data", env) as (base, _pid, key), contextlib.ExitStack() as workers:
                for lanes in (("short", "long") if SPLIT else ("all",)):
                    workers.enter_context(worker_processes(Path(tmp) / "data", {**env, "WORKER_LANES": lanes}, 1))
                latencies, busy = asyncio.run(measure(base, key, tone, talk))
    finally:
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(f"{namespace}*"):
            client.delete(key)
    workers = "2 worker processes (WORKER_LANES short, long)" if SPLIT else \
        "1 worker process (its short lane in a child process: SHORT_LANE_PROCESS)"
    table(f"Dispatch latency under load, finishUpload -> first RUNNING event, Redis broker + {workers}, "
          f"{'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite'} ({JOBS} probes, long jobs running: "
          f"median {statistics.median(busy):.0f}, min {min(busy)})", [
              ("p50 ms", "p90 ms", "p99 ms", "max ms", "goal"),
              (f"{percentile(latencies, 50):.1f}", f"{percentile(latencies, 90):.1f}",
               f"{percentile(latencies, 99):.1f}", f"{max(latencies):.1f}", "p50 <= 25, p99 <= 100"),
          ])


if __name__ == "__main__":
    main()

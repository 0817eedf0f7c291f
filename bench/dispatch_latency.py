"""Dispatch latency: finishUpload returning -> the job's first `running` event on a subscription (Redis)."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import websockets

from bench.common import percentile, running_server, table

JOBS = int(os.environ.get("BENCH_JOBS", "200"))
GQL_CREATE = 'mutation { createAsset(input: {filename: "t.wav"}) { asset { id } } }'
GQL_START = 'mutation($id: ID!) { startUpload(input: {assetId: $id, parts: 1}) { parts { url } } }'
GQL_FINISH = 'mutation($id: ID!, $e: [String!]!) { finishUpload(input: {assetId: $id, etags: $e}) { job { id } } }'


async def measure(base: str, key: str, audio: bytes) -> list[float]:
    headers = {"Authorization": f"Bearer {key}"}
    running: dict[str, float] = {}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client, \
            websockets.connect(base.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": "subscription { jobEvents(kinds: [PROBE]) { id status } }"}}))

        async def listen():
            async for raw in ws:
                message = json.loads(raw)
                if message.get("type") == "next":
                    job = message["payload"]["data"]["jobEvents"]
                    if job["status"] == "RUNNING" and job["id"] not in running:
                        running[job["id"]] = time.perf_counter()

        listener = asyncio.create_task(listen())
        await asyncio.sleep(0.5)
        latencies = []

        async def gql(query, variables=None):
            response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
            return response.json()["data"]

        for _ in range(JOBS):
            asset = (await gql(GQL_CREATE))["createAsset"]["asset"]["id"]
            url = (await gql(GQL_START, {"id": asset}))["startUpload"]["parts"][0]["url"]
            etag = (await client.put(url, content=audio)).headers["etag"]
            finished = await gql(GQL_FINISH, {"id": asset, "e": [etag]})
            returned = time.perf_counter()
            job = finished["finishUpload"]["job"]["id"]
            while job not in running:
                await asyncio.sleep(0.0005)
            latencies.append((running[job] - returned) * 1000)
            await asyncio.sleep(0.25)  # let the probe finish: measure dispatch, not queueing behind work
        listener.cancel()
    return latencies


def main() -> None:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "t.wav"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=d=1", str(wav)], check=True)
        env = {"REDIS_URL": redis_url, "REDIS_NAMESPACE": f"bench-{uuid.uuid4().hex[:6]}"}
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        with running_server(Path(tmp) / "data", env, workers=1) as (base, _pid, key):
            latencies = asyncio.run(measure(base, key, wav.read_bytes()))
    table(f"Dispatch latency, finishUpload -> first RUNNING event, Redis broker + 1 worker process ({JOBS} jobs)", [
        ("p50 ms", "p90 ms", "p99 ms", "max ms", "goal"),
        (f"{percentile(latencies, 50):.1f}", f"{percentile(latencies, 90):.1f}", f"{percentile(latencies, 99):.1f}",
         f"{max(latencies):.1f}", "p50 <= 25, p99 <= 100"),
    ])


if __name__ == "__main__":
    main()

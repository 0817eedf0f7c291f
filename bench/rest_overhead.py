"""REST dialect call against the same GraphQL operation posted directly: median latency, same data, same server."""
from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import EMBEDDED, percentile, running_server, table
from rest_compat.dialects.common import ASSET_FIELDS

CALLS = int(os.environ.get("BENCH_CALLS", "1000"))
QUERY = f"query($id: ID!) {{ asset(id: $id) {{ {ASSET_FIELDS} }} }}"


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / "clip.mp4"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=d=2", "-f", "lavfi", "-i", "sine=d=2",
                        "-c:v", "libx264", "-c:a", "aac", "-shortest", str(clip)], check=True)
        with running_server(Path(tmp) / "data", EMBEDDED) as (base, _pid, key):
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
                asset = client.post("/v1/assets", json={"filename": "clip.mp4"}).json()
                part = client.post(f"/v1/assets/{asset['id']}/start_upload", json={}).json()["parts"][0]["url"]
                etag = client.put(part, content=clip.read_bytes()).headers["etag"]
                client.post(f"/v1/assets/{asset['id']}/finish_upload", json={"etags": [etag]})
                while client.get(f"/v1/assets/{asset['id']}").json()["status"] != "ready":
                    time.sleep(0.1)

                def rest():
                    assert client.get(f"/v1/assets/{asset['id']}").status_code == 200

                def graphql():
                    assert client.post("/graphql", json={"query": QUERY, "variables": {"id": asset["id"]}}).status_code == 200

                timed(rest, 100), timed(graphql, 100)  # warm both paths
                rest_ms, gql_ms = [], []
                for _ in range(10):  # interleave, so drift hits both alike
                    rest_ms += timed(rest, CALLS // 10)
                    gql_ms += timed(graphql, CALLS // 10)
    r50, g50 = statistics.median(rest_ms), statistics.median(gql_ms)
    table(f"GET /v1/assets/{{id}} (MediaCopilot) vs the same GraphQL query posted to /graphql, {CALLS} calls each", [
        ("", "p50 ms", "p90 ms", "p99 ms", "ratio (p50)", "goal"),
        ("GraphQL", f"{g50:.2f}", f"{percentile(gql_ms, 90):.2f}", f"{percentile(gql_ms, 99):.2f}", "1.00", ""),
        ("REST", f"{r50:.2f}", f"{percentile(rest_ms, 90):.2f}", f"{percentile(rest_ms, 99):.2f}", f"{r50 / g50:.2f}",
         "<= 1.3"),
    ])


if __name__ == "__main__":
    main()

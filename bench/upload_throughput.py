"""1 GiB through local storage in 8 parts: server RSS growth and throughput against `cp` of the same file.

Disk state dominates both figures on a shared VM (a write right after another is slower), so rounds
alternate cp and upload, each after a sync and a pause, and the table compares medians.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import EMBEDDED, running_server, table

SIZE = int(os.environ.get("BENCH_UPLOAD_BYTES", str(1024**3)))
PARTS = 8
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SETTLE_S = float(os.environ.get("BENCH_SETTLE_S", "5"))


def status_kib(pid: int, field: str) -> int:
    """VmRSS now, or VmHWM: the kernel's own peak, so no sampler competes with the server for CPU."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def settle() -> None:
    subprocess.run(["sync"], check=True)
    time.sleep(SETTLE_S)


def split_file(source: Path, folder: Path) -> list[Path]:
    size = -(-SIZE // PARTS)
    parts = []
    with open(source, "rb") as src:
        for n in range(PARTS):
            part = folder / f"part{n + 1}"
            with open(part, "wb") as out:
                out.write(src.read(min(size, SIZE - n * size)))
            parts.append(part)
    return parts


def timed_cp(source: Path, target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["cp", str(source), str(target)], check=True)
    subprocess.run(["sync"], check=True)
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def timed_upload(client: httpx.Client, parts: list[Path]) -> float:
    def gql(query, variables=None):
        return client.post("/graphql", json={"query": query, "variables": variables or {}}).json()["data"]

    asset = gql('mutation { createAsset(input: {filename: "big.bin"}) { asset { id } } }')["createAsset"]["asset"]["id"]
    started = time.perf_counter()
    urls = [p["url"] for p in gql("mutation($id: ID!, $n: Int!) { startUpload(input: {assetId: $id, parts: $n}) { parts { url } } }",
                                  {"id": asset, "n": PARTS})["startUpload"]["parts"]]
    etags = []
    for part, url in zip(parts, urls):
        # curl, as a client would: the bench measures the server, not a Python HTTP client.
        out = subprocess.run(["curl", "-s", "-D", "-", "-o", "/dev/null", "-T", str(part), url],
                             capture_output=True, text=True, check=True).stdout
        etags.append(next(line.split(":", 1)[1].strip() for line in out.splitlines() if line.lower().startswith("etag:")))
    done = gql("mutation($id: ID!, $e: [String!]!) { finishUpload(input: {assetId: $id, etags: $e}) { errors { code } } }",
               {"id": asset, "e": etags})
    assert done["finishUpload"]["errors"] == [], done
    subprocess.run(["sync"], check=True)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        folder = Path(tmp)
        source = folder / "big.bin"
        subprocess.run(["head", "-c", str(SIZE), "/dev/urandom"], stdout=open(source, "wb"), check=True)
        parts = split_file(source, folder)
        cps, uploads = [], []
        with running_server(folder / "data", EMBEDDED) as (base, pid, key):
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=600) as client:
                client.post("/graphql", json={"query": "{ me { name } }"})
                baseline = status_kib(pid, "VmHWM")  # the peak so far, start-up included
                for _ in range(ROUNDS):
                    settle()
                    cps.append(timed_cp(source, folder / "copy.bin"))
                    settle()
                    uploads.append(timed_upload(client, parts))
                    shutil.rmtree(folder / "data" / "files", ignore_errors=True)
                peak = status_kib(pid, "VmHWM")
    mib = SIZE / 1024**2
    cp_s, up_s = statistics.median(cps), statistics.median(uploads)
    table(f"Upload of {mib:.0f} MiB in {PARTS} parts through local storage, median of {ROUNDS} alternating rounds "
          "(server in its own process; sync included in both)", [
        ("", "median s", "all runs s", "MiB/s", "ratio to cp", "peak server RSS growth", "goal"),
        ("cp", f"{cp_s:.2f}", " ".join(f"{t:.2f}" for t in cps), f"{mib / cp_s:.0f}", "1.00", "-", ""),
        ("upload", f"{up_s:.2f}", " ".join(f"{t:.2f}" for t in uploads), f"{mib / up_s:.0f}", f"{cp_s / up_s:.2f}",
         f"{(peak - baseline) / 1024:.1f} MiB", "ratio >= 0.5, RSS <= 64 MiB"),
    ])


if __name__ == "__main__":
    main()

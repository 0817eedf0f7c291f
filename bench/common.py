"""Bench helpers: a server (and worker) in subprocesses, a tenant key, GraphQL over HTTP, percentiles."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


@contextmanager
def running_server(data_dir: Path, extra_env: dict | None = None, workers: int = 0):
    """`python app.py serve` (and `worker` processes) exactly as an operator would start them."""
    port = free_port()
    env = {**os.environ, "DATA_DIR": str(data_dir), "PORT": str(port), "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
           "BOOTSTRAP_API_KEY": "mg_bench_key", **(extra_env or {})}
    subprocess.run([sys.executable, "app.py", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    procs = [subprocess.Popen([sys.executable, "app.py", "serve"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    procs += [subprocess.Popen([sys.executable, "app.py", "worker"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            if httpx.get(base + "/api/health").status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.time() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.2)
    try:
        yield base, procs[0].pid, "mg_bench_key"
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


# Every table a bench prints, in order, with the bench that printed it: `python -m bench` writes them to
# bench/results.json and regenerates the README's tables from them (bench/report.py).
RESULTS: list[dict] = []
CURRENT: dict = {"bench": None}


def table(title: str, rows: list[tuple]) -> None:
    RESULTS.append({"bench": CURRENT["bench"], "title": title, "rows": [[str(c) for c in row] for row in rows]})
    print(f"\n{title}")
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
        if n == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")

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


# The embedded default (SQLite, in-process workers), whatever DATABASE_URL and REDIS_URL the bench run was given:
# a server on Redis with no `worker` process would never run a job.
EMBEDDED = {"DATABASE_URL": "", "REDIS_URL": ""}


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
        stop(procs)


def stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM each, then kill what is still up after 30 s (a worker finishing long jobs: the bench is over)."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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


@contextmanager
def worker_processes(data_dir: Path, extra_env: dict | None, count: int):
    """`python app.py worker` processes started after the server (same DATA_DIR, database and Redis)."""
    env = {**os.environ, "DATA_DIR": str(data_dir), **(extra_env or {})}
    procs = [subprocess.Popen([sys.executable, "app.py", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(count)]
    try:
        yield procs
    finally:
        stop(procs)


@contextmanager
def fresh_database():
    """A PostgreSQL database of the bench's own beside DATABASE_URL's (dropped after), or None without one."""
    import asyncio

    import asyncpg

    url = os.environ.get("DATABASE_URL", "").replace("postgresql+asyncpg://", "postgresql://")
    if not url.startswith("postgresql://"):
        yield None
        return
    name = f"mg_bench_{os.getpid()}_{int(time.time())}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield url.rpartition("/")[0] + "/" + name
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def upload(client: httpx.AsyncClient, filename: str, data: bytes) -> str:
    """createAsset, one part PUT, finishUpload, as a client does; the probe job's id."""
    async def gql(query: str, variables: dict | None = None) -> dict:
        body = (await client.post("/graphql", json={"query": query, "variables": variables or {}})).json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        return body["data"]

    asset = (await gql('mutation($f: String!) { createAsset(input: {filename: $f}) { asset { id } } }',
                       {"f": filename}))["createAsset"]["asset"]["id"]
    url = (await gql('mutation($id: ID!) { startUpload(input: {assetId: $id, parts: 1}) { parts { url } } }',
                     {"id": asset}))["startUpload"]["parts"][0]["url"]
    etag = (await client.put(url, content=data)).headers["etag"]
    finished = await gql('mutation($id: ID!, $e: [String!]!) { finishUpload(input: {assetId: $id, etags: $e}) '
                         '{ job { id } } }', {"id": asset, "e": [etag]})
    return finished["finishUpload"]["job"]["id"]

"""A production-shaped cluster an operator can break: `app.py serve` and `app.py worker` subprocesses on a fresh
PostgreSQL database and a redis-server of its own (stopped and started again at will, never the shared one)."""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.receivers import Receiver  # noqa: F401  (the crash tests and the bench take it from here)
from tests.harness import ROOT, free_port
from tests.own_redis import OwnRedis


def require_tools() -> None:
    """These tests restart a Redis of their own: without redis-server they fail, never skip (the conftest already
    refuses CI=true without PostgreSQL and Redis)."""
    if not shutil.which("redis-server"):
        raise RuntimeError("crash tests need redis-server on PATH")


class Cluster:
    """One `serve` and any number of `worker` processes sharing a database, DATA_DIR and a Redis of their own.

    Every process logs JSON lines to its own file under DATA_DIR, which is how a test finds the worker that holds a
    job (`holder`): the one whose log took the job's message and has not finished it."""

    def __init__(self, env: dict, redis: OwnRedis):
        self.env, self.redis = env, redis
        self.data_dir = Path(env["DATA_DIR"])
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.base_url = env["PUBLIC_BASE_URL"]
        self.ws_url = self.base_url.replace("http://", "ws://") + "/graphql"
        self.serve: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.logs: dict[int, Path] = {}

    def _spawn(self, command: str) -> subprocess.Popen:
        path = self.data_dir / f"{command}-{uuid.uuid4().hex[:6]}.log"
        with open(path, "ab") as log:  # a file, never a pipe nobody drains
            process = subprocess.Popen([sys.executable, "app.py", command], cwd=ROOT, env={**os.environ, **self.env},
                                       stdout=log, stderr=subprocess.STDOUT)
        self.logs[process.pid] = path
        return process

    def start_worker(self) -> subprocess.Popen:
        worker = self._spawn("worker")
        self.workers.append(worker)
        return worker

    def live_workers(self) -> list[subprocess.Popen]:
        return [w for w in self.workers if w.poll() is None]

    async def start_serve(self, timeout: float = 120) -> None:
        self.serve = self._spawn("serve")
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=5) as client:
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(self.base_url + "/healthz")).status_code == 200:
                        return
                if self.serve.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"serve did not start: {self.logs[self.serve.pid].read_text()[-2000:]}")
                await asyncio.sleep(0.2)

    async def stop_serve(self, timeout: float = 60) -> None:
        """SIGTERM, as an orchestrator does, and wait for the process to end."""
        self.serve.send_signal(signal.SIGTERM)
        await asyncio.to_thread(self.serve.wait, timeout)

    def lines(self, pid: int) -> list[dict]:
        found = []
        for line in self.logs[pid].read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                found.append(json.loads(line))
        return found

    def story(self, job_id: str) -> dict:
        """What the logs say about the job, for a failing test's message: each line naming it, and the last line of
        every worker that is no longer running (a worker that died at boot takes nothing)."""
        alive = {w.pid for w in self.live_workers()}
        return {"job": [(pid, line.get("event"), line.get("level")) for pid in self.logs for line in self.lines(pid)
                        if line.get("job_id") == job_id],
                "workers alive": len(alive),
                "dead workers' last lines": {w.pid: self.logs[w.pid].read_text(errors="replace")[-600:]
                                             for w in self.workers if w.pid not in alive}}

    def holder(self, job_id: str) -> subprocess.Popen | None:
        """The live worker running the job now: its log took the job's message more often than it finished one."""
        for worker in self.live_workers():
            events = [e.get("event") for e in self.lines(worker.pid) if e.get("job_id") == job_id]
            if events.count("job message taken") > events.count("job message done"):
                return worker
        return None

    async def kill_holder(self, job_id: str, timeout: float = 60) -> subprocess.Popen:
        """SIGKILL the worker that runs the job (waiting for the log line that names it); returns it, dead."""
        deadline = time.monotonic() + timeout
        while (worker := self.holder(job_id)) is None:
            assert time.monotonic() < deadline, f"no worker took job {job_id}"
            await asyncio.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        await asyncio.to_thread(worker.wait, 30)
        return worker

    def stop(self) -> None:
        for process in [*self.workers, self.serve]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.serve]:
            if process is None:
                continue
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.asynccontextmanager
async def cluster(env: dict, workers: int = 2):
    """A fresh database and Redis; `env` is the processes' settings without DATABASE_URL/REDIS_URL (added here)."""
    from app import migrate
    from domain.settings import Settings
    from tests.conftest import _create_database, _drop_database

    name = f"mg_test_{uuid.uuid4().hex[:10]}"
    redis = OwnRedis().start()
    env = {**env, "DATABASE_URL": await _create_database(name), "REDIS_URL": redis.url,
           "REDIS_NAMESPACE": f"mgcrash-{uuid.uuid4().hex[:8]}", "EMBEDDED_WORKERS": "false"}
    running = Cluster(env, redis)
    try:
        await asyncio.to_thread(migrate, Settings.from_env(env))
        for _ in range(workers):
            running.start_worker()
        await running.start_serve()
        yield running
    finally:
        running.stop()
        redis.stop()
        await _drop_database(name)


def cluster_env(data_dir: Path, **settings) -> dict:
    """The settings every process of a cluster shares (a port of its own for `serve`)."""
    port = free_port()
    return {"DATA_DIR": str(data_dir), "PORT": str(port), "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "ALLOW_PRIVATE_URLS": "true", "WORKER_THREADS": "2", "SECRET_KEY": "crash-test-secret-" + "x" * 32,
            **{k: str(v) for k, v in settings.items()}}


class _Http:
    def __init__(self, handler):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Hanging(_Http):
    """An origin that accepts every request and never answers (until stopped): a job fetching from it hangs."""

    def __init__(self):
        released = self.released = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                released.wait(600)

            def log_message(self, *args):
                pass

        super().__init__(Handler)

    def stop(self) -> None:
        self.released.set()
        super().stop()

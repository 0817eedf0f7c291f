"""`app.py worker` runs its short lane in a supervised child process: probes run there (not in the parent, which runs
the long lane), a killed child is replaced and the new one takes the next probe, and SIGTERM to the parent stops it,
as does the parent's death by SIGKILL, and a burst of signals."""
from __future__ import annotations

import asyncio
import contextlib
import signal
import time
import uuid
from pathlib import Path

import httpx
import psutil

from app import _create_key
from domain.settings import Settings
from tests import flows
from tests.conftest import BACKENDS
from tests.harness import ROOT
from tests.media import ffmpeg
from tests.processes import cluster, cluster_env, require_tools

WAIT_S = 120

if "production" in BACKENDS:
    require_tools()


def _workers(parent_pid: int) -> list[psutil.Process]:
    """The parent's live `app.py worker` children."""
    found = []
    for child in psutil.Process(parent_pid).children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and child.cmdline()[-2:] == [str(Path(ROOT) / "app.py"),
                                                                                    "worker"]:
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


async def _child_of(parent_pid: int, not_pid: int | None = None) -> psutil.Process:
    """The parent's one short-lane child (a new one when `not_pid` names the old), waited for."""
    deadline = time.monotonic() + WAIT_S
    while True:
        children = [c for c in _workers(parent_pid) if c.pid != not_pid]  # the long lane's ffmpeg runs are not
        if children:
            assert len(children) == 1, children
            assert children[0].environ().get("WORKER_LANES") == "short"
            return children[0]
        assert time.monotonic() < deadline, "no short-lane child process appeared"
        await asyncio.sleep(0.2)


async def _ended(process: psutil.Process) -> None:
    """Waits for the process to exit (gone, or a zombie nobody has reaped yet: an orphan's new parent may not)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        assert time.monotonic() < deadline, f"process {process.pid} still runs"
        await asyncio.sleep(0.2)


async def _probe_taken_by(running, parent_pid: int, client, key: str, image) -> int:
    """Uploads the image, waits for its probe to finish; the pid whose log line took the probe's message."""
    asset = await flows.ready_asset(client, key, image)
    assert asset["status"] == "READY", asset
    job_id = flows.probe_job(asset)["id"]
    taken = [line["pid"] for line in running.lines(parent_pid)
             if line.get("job_id") == job_id and line.get("event") == "job message taken"]
    assert len(taken) == 1, taken
    return taken[0]


async def test_the_short_lane_runs_in_a_child_that_is_replaced_when_killed(tmp_path):
    image = tmp_path / "still.png"
    ffmpeg("-f", "lavfi", "-i", "testsrc=s=320x240:d=1", "-frames:v", "1", str(image))
    async with cluster(cluster_env(tmp_path / "data"), workers=1) as running:
        [worker] = running.workers
        key = await _create_key(Settings.from_env(running.env), f"lanes-{uuid.uuid4().hex[:8]}", False)
        first = await _child_of(worker.pid)
        async with httpx.AsyncClient(base_url=running.base_url, timeout=60) as client:
            assert await _probe_taken_by(running, worker.pid, client, key, image) == first.pid  # not the parent

            first.send_signal(signal.SIGKILL)
            second = await _child_of(worker.pid, not_pid=first.pid)
            assert await _probe_taken_by(running, worker.pid, client, key, image) == second.pid
        assert any(line.get("event") == "short lane process exited; starting another" and
                   line.get("child_pid") == first.pid for line in running.lines(worker.pid))

        worker.send_signal(signal.SIGTERM)  # as an orchestrator stops it: the child stops with it
        assert await asyncio.to_thread(worker.wait, WAIT_S) == 0
        await _ended(second)

        killed = running.start_worker()  # killed outright, it cannot stop its child: the child stops itself
        orphan = await _child_of(killed.pid)
        killed.send_signal(signal.SIGKILL)
        await asyncio.to_thread(killed.wait, WAIT_S)
        await _ended(orphan)

        # Signals in a burst (an orchestrator's SIGTERM, then a Ctrl-C, then the child's death signal): a handler
        # that ran inside another once deadlocked on the stop event's lock, and the process never stopped.
        burst = running.start_worker()
        child = await _child_of(burst.pid)
        deadline = time.monotonic() + WAIT_S
        while len({line["pid"] for line in running.lines(burst.pid)
                   if str(line.get("event", "")).startswith("worker started")}) < 2:  # both have their handlers
            assert time.monotonic() < deadline, "the worker and its child did not start"
            await asyncio.sleep(0.2)
        await asyncio.sleep(0.5)
        for _ in range(3000):
            burst.send_signal(signal.SIGTERM)
            with contextlib.suppress(psutil.NoSuchProcess):
                child.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(burst.wait, WAIT_S) == 0
        await _ended(child)


if "production" not in BACKENDS:  # no PostgreSQL and Redis here (CI=true refuses to start without them): nothing runs
    for _name in [name for name in globals() if name.startswith("test_")]:
        del globals()[_name]

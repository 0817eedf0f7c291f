"""The short lane's own process: `app.py worker` starts a supervised child with WORKER_LANES=short and restarts it.

Threads of one process share its GIL, and long work (a transcription's Python, a render's reader) can hold it while
the scheduler has it descheduled at nice 10: a probe in the same process waited ~1 s at p50 under load, ~0.1 s in a
process of its own. The child is the same command with one lane; its logs go where the parent's go.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time

from domain.observability import logs

log = logs.get(__name__)

FIRST_BACKOFF_S, MAX_BACKOFF_S = 1.0, 30.0
STABLE_AFTER_S = 60.0  # a child that ran this long was healthy: the next restart is immediate again
PR_SET_PDEATHSIG = 1
CHILD_OF = "MEDIAGRAPH_SHORT_LANE_OF"  # set in the child's environment: the supervising parent's pid


def _die_with(parent_pid: int) -> None:
    """In the child, first thing: SIGTERM when the thread that started it ends (the parent killed with SIGKILL), so
    no orphaned short lane keeps taking messages; set here rather than in a `preexec_fn`, which is unsafe in a
    threaded parent. Linux only; elsewhere the parent's SIGTERM is the only stop."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before the line above: no signal will come
        os.kill(os.getpid(), signal.SIGTERM)


class ShortLaneChild:
    """Starts the child, restarts it when it dies (backing off if it keeps dying), stops it with SIGTERM."""

    def __init__(self, command: list[str], env: dict[str, str], grace_s: float):
        self.command = command
        self.env = {**env, "WORKER_LANES": "short", CHILD_OF: str(os.getpid())}
        self.grace_s = grace_s
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # a stop never races a spawn: no child is started after `stop` looked
        self._thread = threading.Thread(target=self._supervise, name="mediagraph-short-lane", daemon=True)

    def start(self) -> ShortLaneChild:
        self._thread.start()
        return self

    def _spawn(self) -> subprocess.Popen:
        # Started from the supervising thread (nice 0, never the long lane's): the child inherits neither its nice
        # value nor, through PR_SET_PDEATHSIG, outlives this thread.
        process = subprocess.Popen(self.command, env=self.env)
        log.info("short lane process started", child_pid=process.pid)
        return process

    def _supervise(self) -> None:
        backoff = FIRST_BACKOFF_S
        while not self._stopping.is_set():
            started = time.monotonic()
            with self._lock:
                if self._stopping.is_set():
                    return
                self.process = self._spawn()
            status = self.process.wait()
            if self._stopping.is_set():
                return
            backoff = FIRST_BACKOFF_S if time.monotonic() - started > STABLE_AFTER_S else backoff
            log.warning("short lane process exited; starting another", child_pid=self.process.pid, status=status,
                        after_s=backoff)
            self.restarts += 1
            if self._stopping.wait(backoff):
                return
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    def stopping(self) -> None:
        """No restart from now on (called from the parent's signal handler: a Ctrl-C reaches the child too)."""
        self._stopping.set()

    def stop(self) -> None:
        """SIGTERM to the child (its running jobs get the same grace as the parent's), SIGKILL past it."""
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=self.grace_s + 60)  # its own grace, plus closing its loops and connections
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._thread.join(timeout=10)


def start(settings, app_path: str) -> ShortLaneChild | None:
    """The supervised child when this worker runs both lanes and SHORT_LANE_PROCESS is on, else None (in the child
    itself: None, once it is set to end with its parent)."""
    if os.environ.get(CHILD_OF):
        _die_with(int(os.environ[CHILD_OF]))
        return None
    if settings.worker_lanes != "all" or not settings.short_lane_process:
        return None
    return ShortLaneChild([sys.executable, app_path, "worker"], dict(os.environ), settings.worker_grace_s).start()

"""Running ffmpeg, ffprobe and the other tools: every run has a time limit, and a run past it (or cancelled) is killed.

Written over subprocess and asyncio rather than a library: ffmpeg-python's `.run()` takes no timeout, and an async
caller's cancellation (a job's deadline) must reach the process. The limit scales with the media a run reads or
writes, so a two-hour render is not cut short while a hung ffprobe is: `floor + per_media_second × seconds`."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import ffmpeg

from domain.errors import DomainError, ErrorCode

# Settings MEDIA_TOOL_TIMEOUT_S and MEDIA_TOOL_TIMEOUT_PER_SECOND (configure() at start-up); these are their defaults.
LIMITS = {"floor_s": 300.0, "per_media_second": 10.0}


class ToolTimeout(DomainError):
    code = ErrorCode.MEDIA_TIMEOUT


def configure(floor_s: float, per_media_second: float) -> None:
    LIMITS.update(floor_s=float(floor_s), per_media_second=float(per_media_second))


def limit(media_s: float | None = None, floor_s: float | None = None) -> float:
    """Seconds a run may take: the floor (or a caller's own, e.g. a probe's), plus a share per second of media."""
    floor = LIMITS["floor_s"] if floor_s is None else min(floor_s, LIMITS["floor_s"])
    return floor + LIMITS["per_media_second"] * max(0.0, media_s or 0.0)


def _timed_out(argv: list[str], seconds: float) -> ToolTimeout:
    return ToolTimeout(f"{os.path.basename(argv[0])} ran past its {seconds:.0f} s limit and was stopped")


def _kill(pid: int) -> None:
    try:  # the whole group: a tool's own children go too
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run(argv: list[str], *, timeout: float, input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run to the end (stdout and stderr captured as bytes) or raise ToolTimeout once `timeout` has passed."""
    with subprocess.Popen(argv, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True) as process:
        try:
            out, err = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process.pid)
            process.communicate()
            raise _timed_out(argv, timeout) from None
        except BaseException:
            _kill(process.pid)
            raise
    return subprocess.CompletedProcess(argv, process.returncode, out, err)


def run_stream(stream, *, timeout: float) -> subprocess.CompletedProcess:
    """An ffmpeg-python graph, run with a limit; a failure raises ffmpeg.Error as `.run()` would."""
    argv = stream.overwrite_output().compile()
    done = run(argv, timeout=timeout)
    if done.returncode != 0:
        raise ffmpeg.Error(argv[0], done.stdout, done.stderr)
    return done


def probe(path, *, timeout: float, **options) -> dict:
    """ffmpeg-python's `probe` (ffprobe's JSON report) with a time limit, reading only the one local file of an
    accepted format (formats.ARGV); a failure raises ffmpeg.Error as it does."""
    from ffmpeg._utils import convert_kwargs_to_cmd_line_args

    from workers.engines import formats

    argv = ["ffprobe", *formats.ARGV, "-show_format", "-show_streams", "-of", "json",
            *convert_kwargs_to_cmd_line_args(options), str(path)]
    done = run(argv, timeout=timeout)
    if done.returncode != 0:
        raise ffmpeg.Error("ffprobe", done.stdout, done.stderr)
    return json.loads(done.stdout.decode())


async def start(argv: list[str], **pipes) -> asyncio.subprocess.Process:
    """An asyncio subprocess in its own process group (so `stop` reaches everything it started)."""
    return await asyncio.create_subprocess_exec(*argv, start_new_session=True, **pipes)


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        _kill(process.pid)
        await process.wait()


async def communicate(process: asyncio.subprocess.Process, argv: list[str], *, timeout: float) -> tuple[bytes, bytes]:
    """Wait for the process's output within `timeout`; kill it on expiry (ToolTimeout) or cancellation."""
    try:
        async with asyncio.timeout(timeout):
            return await process.communicate()
    except TimeoutError:
        await stop(process)
        raise _timed_out(argv, timeout) from None
    except BaseException:
        await stop(process)
        raise


@contextmanager
def deadline(process: subprocess.Popen, argv: list[str], timeout: float) -> Iterator[None]:
    """For a process read as a stream on this thread: killed once `timeout` passes; raises ToolTimeout after."""
    fired = threading.Event()

    def expire() -> None:
        fired.set()
        _kill(process.pid)

    timer = threading.Timer(timeout, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except BaseException:  # the reader stopped early (an error, a closed generator): the process goes too
        _kill(process.pid)
        raise
    finally:
        timer.cancel()
    if fired.is_set():
        raise _timed_out(argv, timeout)

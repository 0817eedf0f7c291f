"""Every tool run has a time limit: a run past it is killed (its whole process group) and fails with MEDIA_TIMEOUT."""
from __future__ import annotations

import asyncio
import os
import subprocess
import time

import ffmpeg
import pytest

from domain.errors import ErrorCode
from workers.engines import clips, processes
from workers.engines.analysis import frames

# ffmpeg reading a generated source at its native rate (-re) never ends by itself: a hung run, for real.
ENDLESS = ["ffmpeg", "-v", "error", "-nostdin", "-re", "-f", "lavfi", "-i", "sine=frequency=440", "-f", "null", "-"]


@pytest.fixture
def tight_limits():
    saved = dict(processes.LIMITS)
    processes.configure(1.0, 0.0)
    yield
    processes.LIMITS.update(saved)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_limit_scales_with_the_media_and_keeps_a_floor():
    saved = dict(processes.LIMITS)
    try:
        processes.configure(300, 10)
        assert processes.limit() == 300
        assert processes.limit(7200) == 300 + 72_000  # a two-hour render is not cut short
        assert processes.limit(floor_s=60) == 60  # a caller's own floor is lower, never higher
        assert processes.limit(floor_s=900) == 300
    finally:
        processes.LIMITS.update(saved)


def test_a_hung_run_is_killed_at_its_limit():
    with pytest.raises(processes.ToolTimeout) as caught:
        processes.run(ENDLESS, timeout=1.0)
    assert caught.value.code == ErrorCode.MEDIA_TIMEOUT and "ffmpeg ran past its 1 s limit" in caught.value.message


def test_a_finished_run_returns_its_output():
    done = processes.run(["ffprobe", "-v", "error", "-version"], timeout=30)
    assert done.returncode == 0 and done.stdout.startswith(b"ffprobe version")


async def test_an_async_run_is_killed_at_its_limit_and_when_cancelled():
    process = await processes.start(ENDLESS, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    with pytest.raises(processes.ToolTimeout):
        await processes.communicate(process, ENDLESS, timeout=1.0)
    assert process.returncode is not None and _gone(process.pid)

    process = await processes.start(ENDLESS, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    task = asyncio.ensure_future(processes.communicate(process, ENDLESS, timeout=600))
    await asyncio.sleep(0.5)
    task.cancel()  # a job's deadline cancels its handler: the tool must not outlive it
    with pytest.raises(asyncio.CancelledError):
        await task
    assert process.returncode is not None and _gone(process.pid)


async def test_the_clip_renderer_stops_a_render_past_its_limit(tight_limits, tmp_path):
    endless = ffmpeg.input("sine=frequency=440", f="lavfi", re=None).output(str(tmp_path / "out.wav"))
    started = time.monotonic()
    with pytest.raises(processes.ToolTimeout):
        await clips.run(endless, 0.0)
    assert time.monotonic() - started < 60  # stopped, not left to run (the limit is 1 s; the bound is slack)


def test_a_streamed_decode_is_stopped_at_its_limit(tight_limits, tmp_path):
    fifo = tmp_path / "never-written.mp4"
    os.mkfifo(fifo)  # ffmpeg opens it and waits forever for bytes: a decode that hangs
    holder = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # keeps the pipe open so ffmpeg's read blocks, not ends
    try:
        with pytest.raises(processes.ToolTimeout):
            list(frames.sample(fifo, 64, 48, "low", media_s=0.0))
    finally:
        os.close(holder)


def test_the_deadline_kills_a_reader_that_stops_early():
    process = subprocess.Popen(ENDLESS, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    with pytest.raises(RuntimeError):
        with processes.deadline(process, ENDLESS, 600):
            raise RuntimeError("the reader gave up")
    process.wait(timeout=10)
    assert process.returncode is not None

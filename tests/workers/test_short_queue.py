"""Short kinds have capacity long work cannot take, and priorities hold under load: real Dramatiq workers as
`workers.broker.start_worker` starts them, on the embedded broker and on Redis, with long jobs that block."""
from __future__ import annotations

import dataclasses
import threading
import time
import uuid

import pytest
import redis

from domain.settings import Settings
from tests.conftest import BACKENDS, REDIS_URL
from workers.broker import (SHORT_QUEUE, DramatiqDispatcher, build_broker, declare_actors, declare_webhook_actor,
                            start_worker)
from workers.redis_wake import WakingRedisBroker

WAIT_S = 60


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


class Recorder:
    """The functions the actors run: each records that it started; jobs named in `blocking` wait for `release`."""

    def __init__(self):
        self.started: list[str] = []
        self.blocking: set[str] = set()
        self.release = threading.Event()
        self.lock = threading.Lock()

    def run(self, job_id: str) -> None:
        with self.lock:
            self.started.append(job_id)
        if job_id in self.blocking:
            self.release.wait(WAIT_S)

    def has_started(self, *ids) -> bool:
        with self.lock:
            return all(str(i) in self.started for i in ids)


@pytest.fixture(params=BACKENDS)
def lanes(request, tmp_path):
    """(dispatcher, recorder, start(threads, short_threads) -> the started lanes) on one backend's broker."""
    namespace = f"mgtest-lanes-{uuid.uuid4().hex[:8]}"
    settings = Settings(database_url="sqlite://", data_dir=tmp_path, redis_url=REDIS_URL if request.param == "production" else None,
                        redis_namespace=namespace, worker_poll_ms=20)
    broker = build_broker(settings)
    recorder = Recorder()
    actors = declare_actors(broker, recorder.run, recorder.run)
    dispatcher = DramatiqDispatcher(actors, declare_webhook_actor(broker, recorder.run))
    started = []

    def start(threads: int, short_threads: int, lanes: str = "all"):
        started.append(start_worker(broker, dataclasses.replace(settings, worker_threads=threads,
                                                                short_worker_threads=short_threads,
                                                                worker_lanes=lanes)))
        return started[-1]

    yield dispatcher, recorder, start
    recorder.release.set()
    for worker in started:
        worker.stop(timeout=WAIT_S * 1000)
    broker.close()
    if request.param == "production":
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{namespace}*"):
            client.delete(key)


def test_short_kinds_run_while_every_long_thread_is_busy(lanes):
    dispatcher, recorder, start = lanes
    start(threads=2, short_threads=1)
    busy = [uuid.uuid4() for _ in range(3)]
    recorder.blocking |= {str(i) for i in busy}
    for job_id in busy[:2]:
        assert dispatcher.dispatch(job_id, "transcription", "high")
    wait_for(lambda: recorder.has_started(*busy[:2]), "both long threads to be busy")
    assert dispatcher.dispatch(busy[2], "video_analysis", "high")  # waits for a long thread: there is none free
    probe, branding, delivery = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert dispatcher.dispatch(probe, "probe", "high")
    assert dispatcher.dispatch(branding, "branding_upload", "standard")
    dispatcher.deliver_webhook(delivery)
    # With one short thread, each of these ran only because the waiting long job could not take that thread.
    wait_for(lambda: recorder.has_started(probe, branding, delivery), "the short jobs to run")
    assert not recorder.has_started(busy[2])
    recorder.release.set()
    wait_for(lambda: recorder.has_started(busy[2]), "the third long job once a long thread is free")


def test_a_high_priority_long_job_runs_before_standard_ones_queued_earlier(lanes):
    dispatcher, recorder, start = lanes
    worker = start(threads=1, short_threads=1)
    blocker = uuid.uuid4()
    recorder.blocking.add(str(blocker))
    assert dispatcher.dispatch(blocker, "transcription", "low")
    wait_for(lambda: recorder.has_started(blocker), "the only long thread to be busy")
    standard = [uuid.uuid4() for _ in range(6)]
    for job_id in standard:
        assert dispatcher.dispatch(job_id, "translation", "standard")
    urgent = uuid.uuid4()
    assert dispatcher.dispatch(urgent, "translation", "high")

    def urgent_is_waiting() -> bool:  # fetched from its queue into the worker, where a free thread looks first
        return any(item.message.args == (str(urgent),) for item in list(worker.long.work_queue.queue))

    wait_for(urgent_is_waiting, "the high-priority job to reach the worker")
    recorder.release.set()
    wait_for(lambda: recorder.has_started(urgent, *standard), "every job to run")
    assert recorder.started[:2] == [str(blocker), str(urgent)]


def test_a_process_of_one_lane_reads_only_that_lanes_queues(lanes):
    dispatcher, recorder, start = lanes
    short_only = start(threads=1, short_threads=1, lanes="short")
    assert short_only.long is None
    long_job, probe = uuid.uuid4(), uuid.uuid4()
    assert dispatcher.dispatch(long_job, "transcription", "high")
    assert dispatcher.dispatch(probe, "probe", "high")
    wait_for(lambda: recorder.has_started(probe), "the probe on the short-only process")
    assert not recorder.has_started(long_job)
    long_only = start(threads=1, short_threads=1, lanes="long")
    assert long_only.short is None
    wait_for(lambda: recorder.has_started(long_job), "the long job once a long-lane process runs")


@pytest.mark.parametrize("backend", [backend for backend in BACKENDS if backend == "production"])
def test_an_idle_short_consumer_is_woken_by_the_send_not_by_its_next_poll(backend, tmp_path):
    """The Redis short queue's idle consumers block on its wake list: with an idle wait longer than this test waits
    for anything, each probe runs only because its send woke the consumer."""
    namespace = f"mgtest-wake-{uuid.uuid4().hex[:8]}"
    settings = Settings(database_url="sqlite://", data_dir=tmp_path, redis_url=REDIS_URL, redis_namespace=namespace,
                        worker_poll_ms=20)
    # The broker's connections carry the namespace as their name, so `blocked` finds this consumer's pop alone.
    broker = WakingRedisBroker(client=redis.Redis.from_url(REDIS_URL, client_name=namespace,
                                                           socket_timeout=WAIT_S * 3),
                               namespace=f"{namespace}-dramatiq", waking=frozenset({SHORT_QUEUE}),
                               idle_wait_s=WAIT_S * 2)
    recorder, client = Recorder(), redis.Redis.from_url(REDIS_URL)

    def blocked() -> bool:  # this broker's consumer is in its blocking pop
        return any(c.get("name") == namespace and c.get("cmd") == "blpop" for c in client.client_list())

    dispatcher = DramatiqDispatcher(declare_actors(broker, recorder.run, recorder.run))
    lanes = start_worker(broker, dataclasses.replace(settings, worker_lanes="short", short_worker_threads=1))
    try:
        wait_for(blocked, "the idle consumer to block")
        probes = [uuid.uuid4() for _ in range(3)]
        for probe in probes:  # one at a time: each finds the consumer idle again
            assert dispatcher.dispatch(probe, "probe", "standard")
            wait_for(lambda: recorder.has_started(probe), "the probe its send woke the consumer for")
            wait_for(blocked, "the consumer idle again")
    finally:
        stopped = threading.Event()

        def wake_until_stopped() -> None:  # a blocked consumer sees that it is stopping only once woken
            while not stopped.wait(0.1):
                client.lpush(broker.wake_key(SHORT_QUEUE), 1)

        waker = threading.Thread(target=wake_until_stopped)
        waker.start()
        lanes.stop(timeout=WAIT_S * 1000)
        stopped.set()
        waker.join()
        broker.close()
        for key in client.scan_iter(f"{namespace}*"):
            client.delete(key)

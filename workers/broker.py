"""Dramatiq broker and actors: Redis when REDIS_URL is set, otherwise an in-process broker and worker.

Two lanes share each worker process. Short kinds (a probe, a branding upload's probe, webhook deliveries) have their
own queue and their own threads, so they start even while every long thread is busy with a transcription or a
render; long kinds are consumed only by the long threads and cannot take the short ones. Long work has one Redis
queue per priority, so a high-priority job is fetched as soon as it is sent and runs next, ahead of anything queued
earlier (one FIFO queue would only reorder the few messages a worker had prefetched).
"""
from __future__ import annotations

import logging
import os
import threading
import uuid

import dramatiq
from dramatiq.brokers.stub import StubBroker

from domain.settings import Settings
from workers.redis_wake import WakingRedisBroker

log = logging.getLogger(__name__)

QUEUE = "mediagraph"  # standard long work: the name every message used before the lanes, so old ones still run
SHORT_QUEUE = "mediagraph-short"
LONG_QUEUES = {"high": "mediagraph-high", "standard": QUEUE, "low": "mediagraph-low"}
# Seconds-long kinds that gate what a user sees next. Not here: search_index (loads a sentence encoder, low
# priority), color_grade and every render; the editor's grade preview is no job at all (rendered in the request).
SHORT_KINDS = frozenset({"probe", "branding_upload"})
# Lower runs first: Dramatiq's worker orders prefetched messages by the actor's priority.
ACTOR_BY_PRIORITY = {"high": ("jobs.run_high", 0), "standard": ("jobs.run", 50), "low": ("jobs.run_low", 100)}
SHORT_ACTOR_BY_PRIORITY = {"high": ("jobs.short_high", 0), "standard": ("jobs.short", 50),
                           "low": ("jobs.short_low", 100)}
SIX_HOURS_MS = 6 * 3600 * 1000
SHORT_TIME_LIMIT_MS = 30 * 60 * 1000  # a probe of a very long file still fits; a stuck one frees its thread
# Long threads wait for work this long at most when idle: a long job can start a few tenths later, and the fewer
# idle polls of Redis leave the CPU to short work.
LONG_POLL_MS = 250
# An idle short consumer waits this long for a wake before fetching anyway (a send from a process without the
# wake, a message put back by Dramatiq's own maintenance); it also bounds how long a stopping worker waits for it.
SHORT_IDLE_WAIT_S = 0.5
# Messages a worker had fetched but not started when it died (SIGKILL, OOM) sit in its Redis ack set until Dramatiq's
# maintenance, run by a random few of the live processes' commands, finds its heartbeat stale. Dramatiq's defaults
# (60 s, one command in a thousand) left such a job queued for minutes; our outbox only resends a sent job after
# ten. A live worker beats with every fetch (each idle consumer polls at least every LONG_POLL_MS), so 20 s of
# silence is death, not load; a false one only re-sends messages whose claim then refuses the duplicate.
DEAD_WORKER_AFTER_MS = 20_000
MAINTENANCE_CHANCE = 50_000  # per million commands: a queue polled a few times a second is swept every few seconds


def build_broker(settings: Settings) -> dramatiq.Broker:
    if settings.redis_url:
        # Timeouts on every socket: a hung (not refused) Redis must fail a send within seconds, so the outbox
        # leaves the row for its sweeper instead of blocking its caller forever (redis-py waits forever by default).
        # The short queue wakes its idle consumers on every send (workers/redis_wake.py): a probe is fetched as
        # it is sent, not at the next poll.
        broker = WakingRedisBroker(url=settings.redis_url, namespace=f"{settings.redis_namespace}-dramatiq",
                                   socket_timeout=10, socket_connect_timeout=5, waking=frozenset({SHORT_QUEUE}),
                                   idle_wait_s=SHORT_IDLE_WAIT_S, heartbeat_timeout=DEAD_WORKER_AFTER_MS,
                                   maintenance_chance=MAINTENANCE_CHANCE)
    else:
        broker = StubBroker()
        broker.emit_after("process_boot")
    return broker


WEBHOOK_ACTOR = "webhooks.deliver"


def declare_webhook_actor(broker: dramatiq.Broker, deliver=None) -> dramatiq.Actor:
    """Deliveries retry with exponential backoff (2 s, 4 s, ... up to 10 minutes), 8 attempts in all."""

    def deliver_webhook(delivery_id: str) -> None:
        if deliver is None:
            raise RuntimeError("this process does not deliver webhooks")
        deliver(delivery_id)

    return dramatiq.Actor(deliver_webhook, broker=broker, actor_name=WEBHOOK_ACTOR, queue_name=SHORT_QUEUE,
                          priority=10, options={"max_retries": 7, "min_backoff": 2000, "max_backoff": 600_000,
                                                "time_limit": 60_000})


def _runner(name: str, run_job):
    def run(job_id: str) -> None:
        if run_job is None:
            raise RuntimeError("this process does not run jobs")
        run_job(job_id)

    run.__name__ = name.replace(".", "_")
    return run


def declare_actors(broker: dramatiq.Broker, run_job=None, run_short=None) -> dict[str, dramatiq.Actor]:
    """One actor per lane and priority, all running the same thin function; None in API-only processes.

    Keys are the priority for long work and `short:<priority>` for short kinds; `run_short` runs short kinds
    (on their own event loop, see app.py), `run_job` when it is not given.
    """
    actors = {}
    for priority, (name, rank) in ACTOR_BY_PRIORITY.items():
        actors[priority] = dramatiq.Actor(
            _runner(name, run_job), broker=broker, actor_name=name, queue_name=LONG_QUEUES[priority], priority=rank,
            options={"max_retries": 3, "min_backoff": 1000, "max_backoff": 30000, "time_limit": SIX_HOURS_MS},
        )
    for priority, (name, rank) in SHORT_ACTOR_BY_PRIORITY.items():
        actors[f"short:{priority}"] = dramatiq.Actor(
            _runner(name, run_short or run_job), broker=broker, actor_name=name, queue_name=SHORT_QUEUE,
            priority=rank, options={"max_retries": 3, "min_backoff": 1000, "max_backoff": 30000,
                                    "time_limit": SHORT_TIME_LIMIT_MS},
        )
    return actors


class DramatiqDispatcher:
    """The Dispatcher port: hands (job id, priority) to the broker. Called only after commit."""

    def __init__(self, actors: dict[str, dramatiq.Actor], webhook_actor: dramatiq.Actor | None = None):
        self.actors = actors
        self.webhook_actor = webhook_actor

    def actor_for(self, kind: str, priority: str) -> dramatiq.Actor:
        priority = priority if priority in ACTOR_BY_PRIORITY else "standard"
        if kind in SHORT_KINDS and f"short:{priority}" in self.actors:
            return self.actors[f"short:{priority}"]
        return self.actors.get(priority) or self.actors["standard"]

    def dispatch(self, job_id: uuid.UUID, kind: str, priority: str) -> bool:
        """True once the broker has the message; False (logged) when it could not be sent."""
        try:
            self.actor_for(kind, priority).send(str(job_id))
            return True
        except Exception:  # the reaper re-dispatches anything queued that never reached a worker
            log.exception("dispatch of job %s failed; the reaper will retry", job_id)
            return False

    def deliver_webhook(self, delivery_id: uuid.UUID) -> bool:
        """True once the broker has the message; False (logged) otherwise: the outbox sweeper sends it later."""
        if self.webhook_actor is None:
            return False
        try:
            self.webhook_actor.send(str(delivery_id))
            return True
        except Exception:
            log.exception("could not queue webhook delivery %s", delivery_id)
            return False


class Lanes:
    """The Dramatiq workers of one process (short, long or both), started and stopped together (`Runtime.worker`)."""

    def __init__(self, long: dramatiq.Worker | None, short: dramatiq.Worker | None):
        self.long, self.short = long, short
        self.workers = [w for w in (short, long) if w is not None]

    def start(self) -> None:
        for worker in self.workers:
            worker.start()

    def stop(self, timeout: int = 600_000) -> None:
        for worker in self.workers:
            worker.stop(timeout)

    def join(self) -> None:
        for worker in self.workers:
            worker.join()


def _worker(broker: dramatiq.Broker, queues: set[str], threads: int, poll_ms: int) -> dramatiq.Worker:
    worker = dramatiq.Worker(broker, queues=queues, worker_threads=threads, worker_timeout=poll_ms)
    # Each queue's consumer holds at most as many messages as the lane has threads (Dramatiq's default is twice
    # that): what a busy process has not started stays in Redis for an idle process to take.
    worker.queue_prefetch = threads
    return worker


def start_worker(broker: dramatiq.Broker, settings: Settings) -> Lanes:
    """Both lanes by default; `WORKER_LANES=short` or `long` makes a process of one lane (no GIL or CPU shared)."""
    lanes = Lanes(
        long=_worker(broker, set(LONG_QUEUES.values()), settings.worker_threads,
                     max(settings.worker_poll_ms, LONG_POLL_MS)) if settings.worker_lanes != "short" else None,
        short=_worker(broker, {SHORT_QUEUE}, settings.short_worker_threads, settings.worker_poll_ms)
        if settings.worker_lanes != "long" else None,
    )
    lanes.start()
    return lanes


def lower_cpu_priority(runtime, nice: int) -> None:
    """Run a runtime's event loop (and every thread and ffmpeg process it starts) at a higher nice value.

    Linux keeps a nice value per thread and new threads and processes inherit it, so the long lane's loop thread,
    its executor threads, CTranslate2's threads and ffmpeg children all yield the CPU to short work.
    """
    if nice <= 0 or not hasattr(os, "setpriority"):
        return

    async def renice() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
        except OSError:
            log.warning("could not lower the long lane's CPU priority", exc_info=True)

    runtime.run(renice)

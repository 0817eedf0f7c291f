"""Dramatiq broker and actors: Redis when REDIS_URL is set, otherwise an in-process broker and worker."""
from __future__ import annotations

import logging
import uuid

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from domain.settings import Settings

log = logging.getLogger(__name__)

QUEUE = "mediagraph"
# Lower runs first: Dramatiq's worker orders prefetched messages by the actor's priority.
ACTOR_BY_PRIORITY = {"high": ("jobs.run_high", 0), "standard": ("jobs.run", 50), "low": ("jobs.run_low", 100)}
SIX_HOURS_MS = 6 * 3600 * 1000


def build_broker(settings: Settings) -> dramatiq.Broker:
    if settings.redis_url:
        broker = RedisBroker(url=settings.redis_url, namespace=f"{settings.redis_namespace}-dramatiq")
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

    return dramatiq.Actor(deliver_webhook, broker=broker, actor_name=WEBHOOK_ACTOR, queue_name=QUEUE, priority=10,
                          options={"max_retries": 7, "min_backoff": 2000, "max_backoff": 600_000,
                                   "time_limit": 60_000})


def declare_actors(broker: dramatiq.Broker, run_job=None) -> dict[str, dramatiq.Actor]:
    """One actor per priority, all running the same thin function; `run_job` is None in API-only processes."""

    def make(name: str):
        def run(job_id: str) -> None:
            if run_job is None:
                raise RuntimeError("this process does not run jobs")
            run_job(job_id)

        run.__name__ = name.replace(".", "_")
        return run

    actors = {}
    for priority, (name, rank) in ACTOR_BY_PRIORITY.items():
        actors[priority] = dramatiq.Actor(
            make(name), broker=broker, actor_name=name, queue_name=QUEUE, priority=rank,
            options={"max_retries": 3, "min_backoff": 1000, "max_backoff": 30000, "time_limit": SIX_HOURS_MS},
        )
    return actors


class DramatiqDispatcher:
    """The Dispatcher port: hands (job id, priority) to the broker. Called only after commit."""

    def __init__(self, actors: dict[str, dramatiq.Actor], webhook_actor: dramatiq.Actor | None = None):
        self.actors = actors
        self.webhook_actor = webhook_actor

    def dispatch(self, job_id: uuid.UUID, kind: str, priority: str) -> bool:
        """True once the broker has the message; False (logged) when it could not be sent."""
        actor = self.actors.get(priority) or self.actors["standard"]
        try:
            actor.send(str(job_id))
            return True
        except Exception:  # the reaper re-dispatches anything queued that never reached a worker
            log.exception("dispatch of job %s failed; the reaper will retry", job_id)
            return False

    def deliver_webhook(self, delivery_id: uuid.UUID) -> None:
        if self.webhook_actor is not None:
            try:
                self.webhook_actor.send(str(delivery_id))
            except Exception:
                log.exception("could not queue webhook delivery %s", delivery_id)


def start_worker(broker: dramatiq.Broker, settings: Settings) -> dramatiq.Worker:
    worker = dramatiq.Worker(broker, worker_threads=settings.worker_threads, worker_timeout=settings.worker_poll_ms)
    worker.start()
    return worker

"""Prometheus metrics beyond the requests Litestar's plugin counts: jobs, queue depth, job durations and webhook
deliveries read from the database at scrape time (bounded to a window, cached), and the subscriptions open here.

Worker processes export nothing of their own: every figure about jobs comes from the database, which all processes
share, so one scrape of any API process sees the whole deployment whatever the number of workers."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from prometheus_client import CollectorRegistry, Gauge
from prometheus_client.core import GaugeHistogramMetricFamily, GaugeMetricFamily

from domain.db import UnitOfWork, utcnow
from domain.observability import repository

log = logging.getLogger(__name__)

# The process-wide registry (prometheus_client's default, where Litestar's plugin also counts requests).
SUBSCRIPTIONS_OPEN = Gauge("mediagraph_subscriptions_open", "GraphQL subscriptions open on this API process")
DURATION_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 6 * 3600.0)


@dataclass
class Reading:
    jobs: list = field(default_factory=list)
    durations: list = field(default_factory=list)
    webhooks: list = field(default_factory=list)
    queues: dict = field(default_factory=dict)
    ok: bool = False


class DatabaseCollector:
    """A prometheus_client collector over one deployment's database and broker.

    `collect` must be synchronous, so the scrape handler awaits `refresh` first; a reading younger than `cache_s`
    is reused, so scrapers and the database are decoupled, and a reading that fails or takes over `timeout_s`
    keeps the last good figures and reports `mediagraph_metrics_database_ok 0`.
    """

    def __init__(self, sessionmaker, queue_depths: Callable[[], dict[str, int]], *, window_s: float,
                 cache_s: float = 5.0, timeout_s: float = 5.0):
        self.sessionmaker, self.queue_depths = sessionmaker, queue_depths
        self.window_s, self.cache_s, self.timeout_s = window_s, cache_s, timeout_s
        self.reading, self.read_at = Reading(), float("-inf")
        self._lock: asyncio.Lock | None = None

    def registry(self) -> CollectorRegistry:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(self)
        return registry

    async def refresh(self) -> None:
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if time.monotonic() - self.read_at < self.cache_s:
                return
            try:
                self.reading = await asyncio.wait_for(self._read(), self.timeout_s)
            except Exception:
                log.warning("metrics reading failed; keeping the last figures", exc_info=True)
                self.reading.ok = False
            self.read_at = time.monotonic()

    async def _read(self) -> Reading:
        since = utcnow() - timedelta(seconds=self.window_s)
        async with UnitOfWork(self.sessionmaker) as uow:
            jobs = await repository.jobs_by_kind_and_status(uow.session, since)
            durations = await repository.durations(uow.session, since, DURATION_BUCKETS)
            webhooks = await repository.webhook_outcomes(uow.session, since)
        queues = await asyncio.to_thread(self.queue_depths)
        return Reading(jobs, durations, webhooks, queues, ok=True)

    def collect(self):
        reading, window = self.reading, f"{self.window_s:g}"
        jobs = GaugeMetricFamily("mediagraph_jobs", "Jobs by kind and status: every queued and running job, and those "
                                 f"that finished in the last {window} s", labels=["kind", "status"])
        for kind, status, count in reading.jobs:
            jobs.add_metric([kind, status], count)
        yield jobs
        durations = GaugeHistogramMetricFamily(
            "mediagraph_job_duration_seconds", f"Run time (started to finished) of jobs that finished in the last "
            f"{window} s", labels=["kind", "status"])
        for kind, status, count, total, *under in reading.durations:
            buckets = [(f"{bound:g}", int(n or 0)) for bound, n in zip(DURATION_BUCKETS, under)] + [("+Inf", count)]
            durations.add_metric([kind, status], buckets, float(total or 0.0))
        yield durations
        webhooks = GaugeMetricFamily("mediagraph_webhook_deliveries", "Webhook deliveries written in the last "
                                     f"{window} s by outcome (delivered, failing, pending)", labels=["outcome"])
        for outcome, count in reading.webhooks:
            webhooks.add_metric([outcome], count)
        yield webhooks
        queues = GaugeMetricFamily("mediagraph_queue_depth", "Messages waiting in each broker queue",
                                   labels=["queue"])
        for queue, depth in sorted(reading.queues.items()):
            queues.add_metric([queue], depth)
        yield queues
        yield GaugeMetricFamily("mediagraph_metrics_database_ok", "1 when the last reading of the figures above "
                                "succeeded", value=1 if reading.ok else 0)

"""The maintenance loop every process runs (serve and worker): one sweep of each housekeeping task, then a pause.

Each task is safe to run in any number of processes at once; one failing does not stop the others."""
from __future__ import annotations

import asyncio
import logging

from domain.events import log as events
from domain.idempotency import service as idempotency
from domain.ports import Ports
from workers import outbox
from workers.reaper import reap, sweep_uploads
from workers.reconciler import reconcile

log = logging.getLogger(__name__)


async def sweep_once(sessionmaker, ports: Ports, *, queued_grace_s: float) -> None:
    settings = ports.settings
    tasks = (
        ("reaper", lambda: reap(sessionmaker, ports)),
        ("upload sweeper", lambda: sweep_uploads(sessionmaker, ports, ttl_s=settings.upload_ttl_s,
                                                 batch=settings.upload_sweep_batch)),
        ("reconciler", lambda: reconcile(sessionmaker, ports, batch=settings.reconcile_batch)),
        ("outbox", lambda: outbox.sweep(sessionmaker, ports, lost_after_s=queued_grace_s)),
        ("idempotency keys", lambda: idempotency.sweep(sessionmaker)),  # expired after 24 h
        ("event retention", lambda: events.sweep(sessionmaker, retention_s=settings.event_retention_s,
                                                  batch=settings.event_sweep_batch)),
    )
    for name, task in tasks:
        try:
            await task()
        except Exception:
            log.exception("%s sweep failed", name)


async def run_forever(sessionmaker, ports: Ports, *, first_grace_s: float, grace_s: float) -> None:
    grace = first_grace_s
    while True:
        await sweep_once(sessionmaker, ports, queued_grace_s=grace)
        grace = grace_s
        await asyncio.sleep(ports.settings.reaper_interval_s)

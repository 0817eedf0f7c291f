"""The outbox sweeper: sends again what the broker never took (queued jobs, webhook deliveries) or lost.

Rows are taken in bounded batches, locked with SKIP LOCKED (PostgreSQL), so any number of processes sweep at once
without sending one row twice; a row is marked only once the broker has it."""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from domain.db import UnitOfWork, utcnow
from domain.jobs import repository as jobs_repo
from domain.ports import Ports
from domain.webhooks import repository as webhooks_repo

log = logging.getLogger(__name__)

# A webhook delivery is given up a day after its event (its links and its news are stale by then).
WEBHOOK_MAX_AGE = timedelta(days=1)


async def resend_jobs(sessionmaker, ports: Ports, *, grace_s: float, lost_after_s: float, batch: int) -> int:
    """Queued jobs never dispatched (older than `grace_s`), or dispatched over `lost_after_s` ago and still queued."""
    now = utcnow()
    async with UnitOfWork(sessionmaker) as uow:
        jobs = await jobs_repo.to_dispatch(uow.session, unsent_before=now - timedelta(seconds=grace_s),
                                           lost_before=now - timedelta(seconds=lost_after_s), limit=batch)
        # On a thread: the broker's client is synchronous, and a hung Redis must not stall this process's loop.
        sent = await asyncio.to_thread(
            lambda: [job.id for job in jobs if ports.dispatcher.dispatch(job.id, job.kind, job.priority)])
        if sent:
            await jobs_repo.mark_dispatched(uow.session, sent, now)
    if jobs:
        log.info("outbox sent %d of %d queued job(s)", len(sent), len(jobs))
    return len(sent)


async def resend_webhooks(sessionmaker, ports: Ports, *, grace_s: float, stalled_after_s: float,
                          unattempted_after_s: float, batch: int) -> int:
    """Deliveries never queued (older than `grace_s`), queued `unattempted_after_s` ago and never attempted, or
    undelivered and idle for `stalled_after_s`. A resent message that finds its delivery done or leased does nothing."""
    now = utcnow()
    async with UnitOfWork(sessionmaker) as uow:
        rows = await webhooks_repo.to_resend(
            uow.session, now=now, unsent_before=now - timedelta(seconds=grace_s),
            stalled_before=now - timedelta(seconds=stalled_after_s),
            unattempted_before=now - timedelta(seconds=unattempted_after_s), newer_than=now - WEBHOOK_MAX_AGE,
            limit=batch)
        queued = await asyncio.to_thread(lambda: [row.id for row in rows if ports.dispatcher.deliver_webhook(row.id)])
        await webhooks_repo.mark_queued(uow.session, queued, now)
    if rows:
        log.info("outbox queued %d of %d webhook delivery(ies)", len(queued), len(rows))
    return len(queued)


async def sweep(sessionmaker, ports: Ports, *, lost_after_s: float) -> int:
    settings = ports.settings
    sent = await resend_jobs(sessionmaker, ports, grace_s=settings.outbox_grace_s, lost_after_s=lost_after_s,
                             batch=settings.outbox_batch)
    return sent + await resend_webhooks(sessionmaker, ports, grace_s=settings.outbox_grace_s,
                                        stalled_after_s=settings.webhook_stalled_after_s,
                                        unattempted_after_s=settings.webhook_unattempted_after_s,
                                        batch=settings.outbox_batch)

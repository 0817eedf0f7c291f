"""The outbox's first send: jobs and webhook deliveries go to the broker after their rows commit, and are marked
sent only once the broker has them. Whatever is left unmarked (a broker outage) the sweeper in workers/outbox.py
sends again, so an outage delays work and never loses it."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

from domain.db import UnitOfWork, utcnow
from domain.jobs import repository as jobs_repo
from domain.webhooks import repository as webhooks_repo


def send_job(uow: UnitOfWork, dispatcher, job_id: uuid.UUID, kind: str, priority: str) -> None:
    """Hand the job to `dispatcher.dispatch` once this transaction commits; its row says whether the broker took it."""
    jobs = uow.staged("outbox-jobs", lambda items: _after(uow, _send_jobs, dispatcher, items))
    jobs.append((job_id, kind, priority))


def send_webhook(uow: UnitOfWork, deliver: Callable[[uuid.UUID], bool], delivery_id: uuid.UUID) -> None:
    """Queue the delivery once this transaction commits; `queued_at` is set only if the broker took it."""
    uow.staged("outbox-webhooks", lambda items: _after(uow, _send_webhooks, deliver, items)).append(delivery_id)


async def _after(uow: UnitOfWork, send, target, items: list) -> None:
    # Registered as the transaction ends, so the sends follow the events the transaction publishes.
    uow.after_commit(lambda: send(uow.sessionmaker, target, items))


async def _send_jobs(sessionmaker, dispatcher, jobs: list[tuple]) -> None:
    # The broker's client is synchronous: a hung Redis stalls this send on a thread, never the event loop.
    sent = await asyncio.to_thread(
        lambda: [job_id for job_id, kind, priority in jobs if dispatcher.dispatch(job_id, kind, priority)])
    if sent:
        async with UnitOfWork(sessionmaker) as uow:
            await jobs_repo.mark_dispatched(uow.session, sent, utcnow())


async def _send_webhooks(sessionmaker, deliver, ids: list[uuid.UUID]) -> None:
    queued = await asyncio.to_thread(lambda: [delivery_id for delivery_id in ids if deliver(delivery_id)])
    if queued:
        async with UnitOfWork(sessionmaker) as uow:
            await webhooks_repo.mark_queued(uow.session, queued, utcnow())

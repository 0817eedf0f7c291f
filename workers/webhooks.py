"""Delivering one webhook event: signed per Standard Webhooks, redirects never followed, every attempt recorded.

An attempt connects to the address its URL check vetted, has one deadline for all of it (connect, send, read) and
reads at most 64 KiB of the answer: a receiver cannot hold a worker or fill its memory."""
from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import datetime, timedelta, timezone

import httpx
from standardwebhooks.webhooks import Webhook

from domain import urls
from domain.db import UnitOfWork, utcnow
from domain.errors import DomainError
from domain.jobs import repository as jobs_repo
from domain.webhooks import repository, results
from domain.webhooks import service as webhooks
from workers.engines import pinned
from workers.runtime import WorkerRuntime

log = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 64 * 1024
# An attempt holds its delivery for its timeout plus this (storing a Result's file, signing); a worker that died
# mid-attempt releases it by expiry.
LEASE_MARGIN_S = 60


class DeliveryFailed(Exception):
    """Raised after recording a failed attempt, so Dramatiq retries it with backoff."""


async def deliver(runtime: WorkerRuntime, delivery_id: str) -> None:
    """Load, post, record: the POST happens outside any transaction, so a slow receiver blocks no writer."""
    settings = runtime.settings
    async with UnitOfWork(runtime.sessionmaker) as uow:
        row = await repository.delivery(uow.session, uuid.UUID(delivery_id))
        started = utcnow()
        # One attempt at a time: a message sent again by the outbox sweeper never posts alongside one in flight.
        if row is None or not await repository.lease(uow.session, row.id, started, started + timedelta(
                seconds=settings.webhook_timeout_s + LEASE_MARGIN_S)):
            return  # delivered, out of attempts, or being attempted elsewhere (which retries itself if it fails)
        job = await jobs_repo.get_unscoped(uow.session, row.job_id)
        extra = webhooks.header_values(settings.secret_key, job.webhook) if job else {}
        secret = await webhooks.signing_secret(uow, settings.secret_key, row.tenant_id)
        url, payload, attempt = row.url, row.payload, row.attempt + 1
        # A completed gateway job's event carries its documented Result, made now (with fresh signed links).
        pending = await results.gather(uow.session, job) \
            if job is not None and row.event.endswith(".completed") and job.kind in results.OPTIONS else None
    if pending is not None:
        payload = {**payload, "data": {**payload["data"], "attributes": {
            **payload["data"]["attributes"], "result": await results.finish(runtime.ports.storage, pending)}}}
    body = json.dumps(payload, separators=(",", ":"))
    message_id = f"msg_{uuid.UUID(delivery_id).hex}"
    now = datetime.now(timezone.utc)
    # The sender's own headers win over any same-named header a row from before the name checks still holds.
    own = {"content-type": "application/json", "webhook-id": message_id, "webhook-timestamp": str(int(now.timestamp())),
           "webhook-signature": Webhook(secret).sign(message_id, now, body)}
    headers = {k: v for k, v in extra.items() if k.lower() not in own and k.lower() not in webhooks.FORBIDDEN_HEADERS}
    status, error = None, None
    try:
        async with asyncio.timeout(settings.webhook_timeout_s):
            status = await post(url, body, headers | own, settings.allow_private_urls)
        if not 200 <= status < 300:  # a redirect is a failure too: we never follow one to an unchecked address
            error = f"answered HTTP {status}"
    except TimeoutError:
        error = f"no answer within {settings.webhook_timeout_s:g} s"
    except (httpx.HTTPError, DomainError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    async with UnitOfWork(runtime.sessionmaker) as uow:
        row = await repository.delivery(uow.session, uuid.UUID(delivery_id))
        row.attempt, row.status_code, row.error = attempt, status, error
        row.attempted_at, row.leased_until = utcnow(), None
        if error is None:
            row.delivered_at = utcnow()
    if error is not None:
        raise DeliveryFailed(f"webhook {delivery_id} attempt {attempt}: {error}")


async def post(url: str, body: str, headers: dict, allow_private: bool,
               resolver: urls.Resolver | None = None) -> int:
    """One resolution, checked, connected to; the answer is read as a stream and dropped after 64 KiB."""
    vetted = await urls.vet(url, allow_private=allow_private, field=["webhook", "url"], resolver=resolver)
    async with pinned.http_client(pinned.Pins(vetted, strict=True), timeout=None) as client:
        async with client.stream("POST", url, content=body, headers=headers) as response:
            read = 0
            async for chunk in response.aiter_raw():
                read += len(chunk)
                if read >= MAX_RESPONSE_BYTES:
                    break  # nothing in the body matters to us; closing the stream drops the connection
            return response.status_code

"""Delivering one webhook event: signed per Standard Webhooks, redirects never followed, every attempt recorded."""
from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timezone

import httpx
from standardwebhooks.webhooks import Webhook

from domain import urls
from domain.db import UnitOfWork, utcnow
from domain.errors import DomainError
from domain.jobs import repository as jobs_repo
from domain.webhooks import repository
from domain.webhooks import service as webhooks
from workers.runtime import WorkerRuntime

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Raised after recording a failed attempt, so Dramatiq retries it with backoff."""


async def deliver(runtime: WorkerRuntime, delivery_id: str) -> None:
    """Load, post, record: the POST happens outside any transaction, so a slow receiver blocks no writer."""
    settings = runtime.settings
    async with UnitOfWork(runtime.sessionmaker) as uow:
        row = await repository.delivery(uow.session, uuid.UUID(delivery_id))
        if row is None or row.delivered_at is not None:
            return  # redelivered message for a delivered event: nothing to do
        job = await jobs_repo.get_unscoped(uow.session, row.job_id)
        extra = {str(k): str(v) for k, v in ((job.webhook or {}).get("headers") or {}).items()} if job else {}
        secret = await webhooks.signing_secret(uow, settings.secret_key, row.tenant_id)
        url, payload, attempt = row.url, row.payload, row.attempt + 1
    body = json.dumps(payload, separators=(",", ":"))
    message_id = f"msg_{uuid.UUID(delivery_id).hex}"
    now = datetime.now(timezone.utc)
    headers = {**extra, "content-type": "application/json", "webhook-id": message_id,
               "webhook-timestamp": str(int(now.timestamp())),
               "webhook-signature": Webhook(secret).sign(message_id, now, body)}
    status, error = None, None
    try:
        await urls.check(url, allow_private=settings.allow_private_urls, field=["webhook", "url"])
        async with httpx.AsyncClient(follow_redirects=False, timeout=10) as client:
            response = await client.post(url, content=body, headers=headers)
        status = response.status_code
        if not 200 <= status < 300:  # a redirect is a failure too: we never follow one to an unchecked address
            error = f"answered HTTP {status}"
    except (httpx.HTTPError, DomainError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    async with UnitOfWork(runtime.sessionmaker) as uow:
        row = await repository.delivery(uow.session, uuid.UUID(delivery_id))
        row.attempt, row.status_code, row.error = attempt, status, error
        if error is None:
            row.delivered_at = utcnow()
    if error is not None:
        raise DeliveryFailed(f"webhook {delivery_id} attempt {attempt}: {error}")

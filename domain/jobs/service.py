"""Creating, reading, listing and cancelling jobs, always within the caller's tenant."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

from domain import outbox, urls
from domain.db import UnitOfWork, utcnow
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.jobs import lifecycle, repository
from domain.jobs.models import CANCELLED, KINDS, PRIORITIES, QUEUED, STATUSES, Job
from domain.observability import context as request_context
from domain.pagination import Page, clamp_first, decode_cursor
from domain.ports import Ports
from domain.tenancy.service import Viewer
from domain.webhooks import service as webhooks


def parse_id(value: str | uuid.UUID, what: str, field: list[str] | None = None) -> uuid.UUID:
    """Ids are UUIDs; anything else is simply not found (the same answer as another tenant's id)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound(what, value, field=field) from exc


async def create(
    uow: UnitOfWork, ports: Ports, viewer: Viewer, *, kind: str, asset_id: uuid.UUID | None = None,
    input: dict | None = None, options: dict | None = None, priority: str = "standard",
    parent_id: uuid.UUID | None = None, webhook: dict | None = None, client_meta: dict | None = None,
    provider: str | None = None, label: str | None = None,
) -> Job:
    """Write the job row queued; it is handed to the dispatcher only once the transaction commits."""
    if kind not in KINDS:
        raise ValidationFailed(f"unknown job kind {kind!r}", field=["kind"])
    if priority not in PRIORITIES:
        raise ValidationFailed(f"priority must be one of {', '.join(PRIORITIES)}", field=["priority"])
    if webhook:
        webhook = await _check_webhook(ports, webhook)
    job = Job(
        id=uuid.uuid4(), tenant_id=viewer.tenant_id, kind=kind, asset_id=asset_id, parent_id=parent_id,
        input=input or {}, options=options or {}, priority=priority, webhook=webhook, client_meta=client_meta,
        provider=provider, label=label, status=QUEUED, progress=0, version=0, attempts=0, created_at=utcnow(),
        dispatched_at=None,  # set once the broker has it (domain/outbox.py); until then the outbox sweeper sends it
        request_id=request_context.current(),
    )
    repository.add(uow.session, job)
    await lifecycle.change(uow, ports, job)
    outbox.send_job(uow, ports.dispatcher, job.id, job.kind, job.priority)
    return job


async def _check_webhook(ports: Ports, webhook: dict) -> dict:
    """Webhook targets pass the same address checks as media URLs; the row keeps header values encrypted."""
    await urls.check(webhook.get("url") or "", allow_private=ports.settings.allow_private_urls,
                     field=["input", "webhook", "url"])
    headers = webhooks.validate_headers(webhook.get("headers"), ["input", "webhook", "headers"])
    return webhooks.stored(ports.settings.secret_key, webhook["url"], headers)


async def get(uow: UnitOfWork, viewer: Viewer, job_id: str | uuid.UUID, kind: str | None = None) -> Job:
    """A job of the viewer's tenant; with `kind`, only a job of that kind (dialects serve one kind)."""
    job = await repository.get(uow.session, viewer.tenant_id, parse_id(job_id, "job"))
    if job is None or (kind is not None and job.kind != kind):
        raise NotFound("job", job_id)
    return job


async def list_page(
    uow: UnitOfWork, viewer: Viewer, *, first: int | None, after: str | None,
    kinds: Sequence[str] = (), statuses: Sequence[str] = (), asset_id: uuid.UUID | None = None,
    label: str | None = None, offset: int = 0,
) -> Page[Job]:
    for kind in kinds:
        if kind not in KINDS:
            raise ValidationFailed(f"unknown job kind {kind!r}", field=["kinds"])
    for status in statuses:
        if status not in STATUSES:
            raise ValidationFailed(f"unknown job status {status!r}", field=["statuses"])
    items, has_next, total = await repository.page(
        uow.session, viewer.tenant_id, first=clamp_first(first), after=decode_cursor(after),
        kinds=kinds, statuses=statuses, asset_id=asset_id, label=label, offset=max(0, offset),
    )
    return Page(items, has_next, total)


async def cancel(uow: UnitOfWork, ports: Ports, viewer: Viewer, job_id: str | uuid.UUID, kind: str | None = None) -> Job:
    """Cancel a queued job. A running one cannot be stopped midway without losing work: say so."""
    job = await get(uow, viewer, job_id, kind)
    if job.status != QUEUED:
        raise Conflict(f"job {job.id} is {job.status}; only queued jobs can be cancelled", field=["input", "id"])
    await lifecycle.change(uow, ports, job, status=CANCELLED)
    return job

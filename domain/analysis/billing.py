"""MetaVision's account views, all from the jobs and the usage records they wrote: balance, prices, requests."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from domain.analysis import metavision
from domain.db import UnitOfWork, utcnow
from domain.errors import ValidationFailed
from domain.jobs.models import COMPLETED, FAILED
from domain.pagination import Page, slice_page
from domain.tenancy import repository as keys_repo
from domain.tenancy.service import Viewer
from domain.usage import repository as usage_repo


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    billing_multiplier: int


@dataclass(frozen=True)
class Prices:
    price_per_image: float
    price_per_video: float
    price_per_audio: float
    quality_profiles: list[Profile]
    billing_note: str


@dataclass(frozen=True)
class Usage:
    """Counts of one set of requests; `total_billed` is the integer 0 when none was billed (MetaVision's bytes)."""
    total_requests: int
    total_success: int
    total_failed: int
    total_billed: float


@dataclass(frozen=True)
class TypeUsage:
    media_type: str
    request_count: int
    success_count: int
    failed_count: int
    total_billed: float


@dataclass(frozen=True)
class RangeUsage(Usage):
    since: str | None = None
    until: str | None = None


@dataclass(frozen=True)
class Balance:
    api_key_prefix: str
    description: str
    overall: Usage
    today: Usage
    week: Usage
    month: Usage
    breakdown_by_type: list[TypeUsage]
    custom_range: RangeUsage | None


@dataclass(frozen=True)
class Request:
    """One past media-analysis request; `id`/`created_at` make it a page row (cursor)."""
    id: uuid.UUID
    created_at: datetime
    status: str
    media_type: str | None
    categories: list[str]
    quality_profile: str | None
    billed_amount: float
    execution_time: float | None
    successful_categories: int
    failed_categories: int
    tokens_in: int
    tokens_out: int
    agent_name: str | None

    @property
    def request_id(self) -> str:
        return str(self.id)


def prices() -> Prices:
    return Prices(price_per_image=metavision.PRICES["image"], price_per_video=metavision.PRICES["video"],
                  price_per_audio=metavision.PRICES["audio"],
                  quality_profiles=[Profile(id=k, name=name, billing_multiplier=m)
                                    for k, (name, m) in metavision.PROFILES.items()],
                  billing_note="Each category is billed at price_per_type × quality_multiplier. Transcription adds "
                               "a flat 1× price_per_type regardless of quality level.")


def _day(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), datetime.min.time(), tzinfo=timezone.utc)
    except ValueError as exc:
        raise ValidationFailed(f"{name} must be a date (YYYY-MM-DD)", field=[name]) from exc


def request_status(job, usage) -> str:
    if job.status == COMPLETED:
        return (usage.details or {}).get("status", "success") if usage else "success"
    return "failed" if job.status == FAILED else job.status


def _stats(rows, kind=Usage, **extra) -> Usage:
    done = [(j, u) for j, u in rows if j.status in (COMPLETED, FAILED)]
    return kind(total_requests=len(rows), total_success=sum(1 for j, u in done if j.status == COMPLETED),
                total_failed=sum(1 for j, u in done if j.status == FAILED),
                total_billed=round(sum(u.quantity for _, u in rows if u is not None), 6), **extra)


async def balance(uow: UnitOfWork, viewer: Viewer, since: str | None, until: str | None) -> Balance:
    start, end = _day(since, "from"), _day(until, "to")
    rows = await usage_repo.jobs_with_usage(uow.session, viewer.tenant_id, metavision.KIND)
    now = utcnow()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)

    def within(a, b=None):
        return [(j, u) for j, u in rows if j.created_at >= a and (b is None or j.created_at < b)]

    by_type = []
    for media_type in metavision.MEDIA_TYPES:
        typed = [(j, u) for j, u in rows if (j.input or {}).get("media_type") == media_type]
        if typed:
            stats = _stats(typed)
            by_type.append(TypeUsage(media_type=media_type, request_count=stats.total_requests,
                                     success_count=stats.total_success, failed_count=stats.total_failed,
                                     total_billed=stats.total_billed))
    custom = None
    if start or end:
        custom = _stats(within(start or datetime.min.replace(tzinfo=timezone.utc),
                               (end + timedelta(days=1)) if end else None), RangeUsage, since=since, until=until)
    # The calling key's public prefix (its first characters, also its OAuth client_id) and its name; a caller
    # without a key (an OIDC user) has no prefix to show.
    key = await keys_repo.key_by_id(uow.session, viewer.key_id) if viewer.key_id else None
    prefix, description = (key[0].prefix, key[0].name or viewer.name) if key else ("", viewer.name)
    return Balance(api_key_prefix=prefix, description=description, overall=_stats(rows),
                   today=_stats(within(today)), week=_stats(within(today - timedelta(days=today.weekday()))),
                   month=_stats(within(today.replace(day=1))), breakdown_by_type=by_type, custom_range=custom)


def request_row(job, usage) -> Request:
    meta = (job.result or {}).get("meta") or {}
    spec, options = job.input or {}, job.options or {}
    return Request(id=job.id, created_at=job.created_at, status=request_status(job, usage),
                   media_type=spec.get("media_type"), categories=spec.get("categories") or [],
                   quality_profile=options.get("detail"), billed_amount=usage.quantity if usage else 0.0,
                   execution_time=meta.get("execution_time"),
                   successful_categories=meta.get("successful_categories", 0),
                   failed_categories=meta.get("failed_categories", 0), tokens_in=meta.get("total_tokens_in", 0),
                   tokens_out=meta.get("total_tokens_out", 0), agent_name=options.get("model_name"))


async def requests(uow: UnitOfWork, viewer: Viewer, *, first: int | None, after: str | None, offset: int = 0,
                   status: str | None = None, media_type: str | None = None, since: str | None = None,
                   until: str | None = None) -> Page[Request]:
    """Newest first; the status (from the job and its usage) and media type filters run on the loaded rows."""
    start, end = _day(since, "from"), _day(until, "to")
    rows = await usage_repo.jobs_with_usage(uow.session, viewer.tenant_id, metavision.KIND, start,
                                            end + timedelta(days=1) if end else None)
    out = [request_row(j, u) for j, u in rows]
    if status and status != "all":
        out = [r for r in out if r.status == status]
    if media_type and media_type != "all":
        out = [r for r in out if r.media_type == media_type]
    return slice_page(out, first, after, offset=max(0, offset))

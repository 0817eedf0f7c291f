"""MetaVision's account views, all from the jobs and the usage records they wrote: balance, prices, requests."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from domain.analysis import metavision
from domain.db import UnitOfWork, utcnow
from domain.errors import ValidationFailed
from domain.jobs.models import COMPLETED, FAILED
from domain.tenancy.service import Viewer
from domain.usage import repository as usage_repo


def prices() -> dict:
    return {"price_per_image": metavision.PRICES["image"], "price_per_video": metavision.PRICES["video"],
            "price_per_audio": metavision.PRICES["audio"],
            "quality_profiles": [{"id": k, "name": name, "billing_multiplier": m}
                                 for k, (name, m) in metavision.PROFILES.items()],
            "billing_note": "Each category is billed at price_per_type × quality_multiplier. Transcription adds a "
                            "flat 1× price_per_type regardless of quality level."}


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


def _stats(rows) -> dict:
    done = [(j, u) for j, u in rows if j.status in (COMPLETED, FAILED)]
    return {"total_requests": len(rows), "total_success": sum(1 for j, u in done if j.status == COMPLETED),
            "total_failed": sum(1 for j, u in done if j.status == FAILED),
            "total_billed": round(sum(u.quantity for _, u in rows if u is not None), 6)}


async def balance(uow: UnitOfWork, viewer: Viewer, since: str | None, until: str | None) -> dict:
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
            by_type.append({"media_type": media_type, "request_count": stats["total_requests"],
                            "success_count": stats["total_success"], "failed_count": stats["total_failed"],
                            "total_billed": stats["total_billed"]})
    custom = None
    if start or end:
        custom = {"from": since, "to": until,
                  **_stats(within(start or datetime.min.replace(tzinfo=timezone.utc),
                                  (end + timedelta(days=1)) if end else None))}
    return {"api_key_prefix": viewer.name, "description": viewer.name, "overall": _stats(rows),
            "today": _stats(within(today)), "week": _stats(within(today - timedelta(days=today.weekday()))),
            "month": _stats(within(today.replace(day=1))), "breakdown_by_type": by_type, "custom_range": custom}


def request_row(job, usage) -> dict:
    result = job.result or {}
    meta = result.get("meta") or {}
    return {"request_id": str(job.id), "status": request_status(job, usage),
            "media_type": (job.input or {}).get("media_type"), "categories": (job.input or {}).get("categories") or [],
            "quality_profile": (job.options or {}).get("detail"), "billed_amount": usage.quantity if usage else 0.0,
            "execution_time": meta.get("execution_time"), "successful_categories": meta.get("successful_categories", 0),
            "failed_categories": meta.get("failed_categories", 0), "tokens_in": meta.get("total_tokens_in", 0),
            "tokens_out": meta.get("total_tokens_out", 0), "agent_name": (job.options or {}).get("model_name"),
            "created_at": job.created_at.isoformat()}


async def requests(uow: UnitOfWork, viewer: Viewer, page: int, limit: int, status: str | None,
                   media_type: str | None, since: str | None, until: str | None) -> dict:
    if not 1 <= limit <= 100:
        raise ValidationFailed("limit must be between 1 and 100", field=["limit"])
    if page < 1:
        raise ValidationFailed("page must be at least 1", field=["page"])
    start, end = _day(since, "from"), _day(until, "to")
    rows = await usage_repo.jobs_with_usage(uow.session, viewer.tenant_id, metavision.KIND, start,
                                            end + timedelta(days=1) if end else None)
    out = [request_row(j, u) for j, u in rows]
    if status and status != "all":
        out = [r for r in out if r["status"] == status]
    if media_type and media_type != "all":
        out = [r for r in out if r["media_type"] == media_type]
    return {"requests": out[(page - 1) * limit:page * limit], "total": len(out), "page": page, "limit": limit}

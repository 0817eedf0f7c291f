"""Monthly usage for MediaCopilot's usages routes and GraphQL `usage`, summed from the same usage records that feed
MetaVision's and MediaPitch's billing (one source, three views): each job kind's records land in one measure."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from domain.db import UnitOfWork, utcnow
from domain.errors import ValidationFailed
from domain.tenancy.service import Viewer
from domain.uploads import repository as uploads
from domain.usage import repository

# (job kind, unit) -> measure; media measures are kept in seconds and reported in minutes.
MEASURES = {
    ("probe", "second"): "media_seconds_ingested",
    ("transcription", "second"): "media_seconds_transcribed",
    ("video_analysis", "second"): "media_seconds_analysed",
    ("media_analysis", "second"): "media_seconds_analysed",
    ("translation", "character"): "characters_translated",
    ("text_translation", "character"): "characters_translated",
    ("retranslation", "character"): "characters_translated",
    ("voice_over", "second"): "voice_over_seconds",
    ("clip_render", "second"): "rendered_clip_seconds",
    ("export", "second"): "export_seconds",
    ("timeline_export", "second"): "export_seconds",
}
MAX_MONTHS = 36


@dataclass
class MonthUsage:
    month: str  # YYYY-MM, UTC
    sums: dict[str, float] = field(default_factory=dict)
    stored_bytes: int | None = None  # a snapshot: known for the current month only

    def _get(self, name: str) -> float:
        return self.sums.get(name, 0.0)

    @property
    def media_minutes_ingested(self) -> float:
        return round(self._get("media_seconds_ingested") / 60, 3)

    @property
    def media_minutes_transcribed(self) -> float:
        return round(self._get("media_seconds_transcribed") / 60, 3)

    @property
    def media_minutes_analysed(self) -> float:
        return round(self._get("media_seconds_analysed") / 60, 3)

    @property
    def characters_translated(self) -> int:
        return int(self._get("characters_translated"))

    @property
    def voice_over_minutes(self) -> float:
        return round(self._get("voice_over_seconds") / 60, 3)

    @property
    def rendered_clip_seconds(self) -> float:
        return round(self._get("rendered_clip_seconds"), 3)

    @property
    def export_seconds(self) -> float:
        return round(self._get("export_seconds"), 3)


def _start(month: str) -> datetime:
    return datetime(int(month[:4]), int(month[5:7]), 1, tzinfo=timezone.utc)


def _next(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def _parse(value: str | None, name: str, default: str) -> str:
    if value is None or value == "":
        return default
    match = re.fullmatch(r"(\d{4})-(\d{2})(-\d{2})?", value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1970 <= int(match.group(1)) <= 9998:
        raise ValidationFailed(f"{name} must be a month (YYYY-MM) or a date (YYYY-MM-DD)", field=[name])
    return value.strip()[:7]


def month_range(since: str | None, until: str | None) -> list[str]:
    """Every month from `since` to `until` (inclusive; default the last 12 up to this one), oldest first."""
    last = _parse(until, "to", utcnow().strftime("%Y-%m"))
    year, mon = int(last[:4]), int(last[5:7])
    back = year * 12 + mon - 1 - 11  # eleven months before `last`
    first = _parse(since, "from", f"{back // 12:04d}-{back % 12 + 1:02d}")
    if first > last:
        raise ValidationFailed("from is after to", field=["from"])
    out = [first]
    while out[-1] < last:
        out.append(_next(out[-1]))
        if len(out) > MAX_MONTHS:
            raise ValidationFailed(f"at most {MAX_MONTHS} months at a time", field=["from"])
    return out


async def months(uow: UnitOfWork, viewer: Viewer, since: str | None = None, until: str | None = None) -> list[MonthUsage]:
    """The months of `month_range`, summed from the tenant's usage records in one grouped query."""
    now = utcnow().strftime("%Y-%m")
    out = [MonthUsage(m) for m in month_range(since, until)]
    first, last = out[0].month, out[-1].month
    by_month = {m.month: m for m in out}
    for month, kind, unit, quantity in await repository.totals_by_month(
            uow.session, viewer.tenant_id, _start(first), _start(_next(last))):
        measure = MEASURES.get((kind, unit))
        if measure and month in by_month:
            sums = by_month[month].sums
            sums[measure] = sums.get(measure, 0.0) + quantity
    if now in by_month:
        by_month[now].stored_bytes = int(await uploads.bytes_used(uow.session, viewer.tenant_id))
    return out


async def current_month(uow: UnitOfWork, viewer: Viewer) -> MonthUsage:
    now = utcnow().strftime("%Y-%m")
    return (await months(uow, viewer, now, now))[0]

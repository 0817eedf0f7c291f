"""MonthUsage: one month's consumption."""
from __future__ import annotations

import strawberry

from resolvers.usage import queries


@strawberry.type(description="One UTC month's consumption, summed from the usage records of the tenant's jobs.")
class MonthUsage:
    month: str = strawberry.field(description="YYYY-MM")
    media_minutes_ingested: float
    media_minutes_transcribed: float
    media_minutes_analysed: float
    characters_translated: int
    voice_over_minutes: float
    rendered_clip_seconds: float
    export_seconds: float
    stored_bytes: float | None = strawberry.field(description="bytes stored now; the current month only, else null")


@strawberry.type
class Usage:
    since: strawberry.Private[str | None]
    until: strawberry.Private[str | None]

    @strawberry.field
    async def current_month(self, info: strawberry.Info) -> MonthUsage:
        return await queries.current_month(info)

    @strawberry.field(description="from `from` to `to`, oldest first")
    async def months(self, info: strawberry.Info) -> list[MonthUsage]:
        return await queries.months(info, self.since, self.until)

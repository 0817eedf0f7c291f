"""Usage queries: the current month and a range of months, each computed only when selected."""
from __future__ import annotations

from domain.usage import reports


async def current_month(info) -> reports.MonthUsage:
    ctx = info.context
    return await reports.current_month(ctx.uow, ctx.require_viewer())


async def months(info, since: str | None, until: str | None) -> list[reports.MonthUsage]:
    ctx = info.context
    return await reports.months(ctx.uow, ctx.require_viewer(), since, until)


def check_range(since: str | None, until: str | None) -> None:
    reports.month_range(since, until)

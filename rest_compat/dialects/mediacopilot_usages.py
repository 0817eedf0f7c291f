"""MediaCopilot rows for usage: this month, and month by month (`from`/`to`, YYYY-MM), from the usage records."""
from __future__ import annotations

from typing import Annotated

import msgspec

from rest_compat.dialects.common import documented
from rest_compat.table import Route


class MonthUsage(msgspec.Struct):
    month: str
    media_minutes_ingested: float
    media_minutes_transcribed: float
    media_minutes_analysed: float
    characters_translated: int
    voice_over_minutes: float
    rendered_clip_seconds: float
    export_seconds: float
    stored_bytes: int | None


class Historical(msgspec.Struct):
    data: list[MonthUsage]
    from_: str = msgspec.field(name="from")
    to: str


# A month (YYYY-MM) or a day of it (YYYY-MM-DD), years 1970 to 9998, as domain/usage/reports.py takes them; that
# `from` is not after `to` and that they span at most 36 months is the operation's prose.
Month = Annotated[str, documented(
    pattern=r"^(19[7-9][0-9]|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-(0[1-9]|1[0-2])(-[0-9]{2})?$")]


class Range(msgspec.Struct, forbid_unknown_fields=False):
    from_: Month | None = msgspec.field(default=None, name="from")
    to: Month | None = None


FIELDS = ("month mediaMinutesIngested mediaMinutesTranscribed mediaMinutesAnalysed charactersTranslated "
          "voiceOverMinutes renderedClipSeconds exportSeconds storedBytes")


def month_view(m: dict) -> dict:
    return {"month": m["month"], "media_minutes_ingested": m["mediaMinutesIngested"],
            "media_minutes_transcribed": m["mediaMinutesTranscribed"],
            "media_minutes_analysed": m["mediaMinutesAnalysed"], "characters_translated": m["charactersTranslated"],
            "voice_over_minutes": m["voiceOverMinutes"], "rendered_clip_seconds": m["renderedClipSeconds"],
            "export_seconds": m["exportSeconds"],
            "stored_bytes": None if m["storedBytes"] is None else int(m["storedBytes"])}


def _historical(v: dict, call) -> dict:
    months = [month_view(m) for m in v["months"]]
    return {"data": months, "from": months[0]["month"], "to": months[-1]["month"]}


ROUTES = [
    Route("GET", "/v1/usages/current_month", f"query {{ usage {{ currentMonth {{ {FIELDS} }} }} }}", "usage",
          lambda v, c: month_view(v["currentMonth"]), response=MonthUsage,
          summary="This month's usage (UTC), summed from the usage records of your jobs"),
    Route("GET", "/v1/usages/historical",
          f"query($from: String, $to: String) {{ usage(from: $from, to: $to) {{ months {{ {FIELDS} }} }} }}",
          "usage", _historical, {"from": "query.from_", "to": "query.to"}, query=Range, response=Historical,
          summary="Usage month by month, from `from` to `to` (YYYY-MM, inclusive; default the last twelve); "
                  "`from` is not after `to`, and at most 36 months at a time"),
]

"""Root field of usage."""
from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.usage import queries
from schema.usage.types import Usage


@strawberry.type
class UsageQuery:
    @strawberry.field(description="This month's usage and every month from `from` to `to` (YYYY-MM, inclusive; "
                                  "default the last twelve), at most 36.")
    async def usage(self, info: strawberry.Info,
                    since: Annotated[str | None, strawberry.argument(name="from")] = None,
                    to: str | None = None) -> Usage:
        queries.check_range(since, to)  # a bad range is refused even when only currentMonth is asked
        return Usage(since=since, until=to)

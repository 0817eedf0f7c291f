"""Root fields of the platform: liveness and the caller."""
from __future__ import annotations

import strawberry

from resolvers.platform import queries
from schema.platform.types import Health, Viewer


@strawberry.type
class PlatformQuery:
    @strawberry.field(description="Liveness; the one field that needs no API key.")
    def health(self, info: strawberry.Info) -> Health:
        return queries.health(info)

    @strawberry.field(description="The tenant and key this request acts as.")
    def me(self, info: strawberry.Info) -> Viewer:
        return queries.me(info)

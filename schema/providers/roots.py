"""Root fields of providers: what is configured per resource."""
from __future__ import annotations

import strawberry

from resolvers.providers import queries
from schema.providers.types import Provider, ResourceType


@strawberry.type
class ProviderQuery:
    @strawberry.field
    def providers(self, info: strawberry.Info, resource: ResourceType | None = None) -> list[Provider]:
        return queries.providers(info, resource)

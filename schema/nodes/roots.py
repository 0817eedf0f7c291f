"""Root fields of the node area: `node(id:)` and `nodes(ids:)`, tenant-scoped, for Relay and Apollo refetches."""
from __future__ import annotations

import strawberry

from resolvers.nodes import queries
from schema.common import Node


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any of the tenant's objects by id; NOT_FOUND for an id it does not own.")
    async def node(self, info: strawberry.Info, id: strawberry.ID) -> Node | None:
        return await queries.node(info, id)

    @strawberry.field(description="Objects by id in the order asked; an id the tenant does not own reads as null.")
    async def nodes(self, info: strawberry.Info, ids: list[strawberry.ID]) -> list[Node | None]:
        return await queries.nodes(info, ids)

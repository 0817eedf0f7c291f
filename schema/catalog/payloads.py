"""Payloads of the collection and view mutations."""
from __future__ import annotations

import strawberry

from schema.catalog.types import Collection, View
from schema.common import UserError


@strawberry.type
class CollectionPayload:
    errors: list[UserError]

    @strawberry.field
    def collection(self) -> Collection | None:
        return self.item


@strawberry.type
class ViewPayload:
    errors: list[UserError]

    @strawberry.field
    def view(self) -> View | None:
        return self.item

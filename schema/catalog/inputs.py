"""Inputs of the collection and view mutations."""
from __future__ import annotations

import strawberry

from schema.common import JSONScalar


@strawberry.input
class CollectionInput:
    id: strawberry.ID | None = strawberry.field(default=None, description="Set to update; omit to create.")
    name: str | None = None
    template_id: strawberry.ID | None = strawberry.field(default=None, description='"" clears it')


@strawberry.input
class CollectionAssetsInput:
    collection_id: strawberry.ID
    asset_ids: list[strawberry.ID] = strawberry.field(description="all must be the tenant's; nothing changes otherwise")


@strawberry.input
class ViewConditionInput:
    field: str = strawberry.field(description="collection_id, status, language_id, sentiment, classification, "
                                              "entities, speakers, created_at or text")
    value: JSONScalar
    operator: str = strawberry.field(default="eq", description="eq; contains (entities, speakers, text); "
                                                               "gte or lte (created_at)")


@strawberry.input
class ViewInput:
    id: strawberry.ID | None = strawberry.field(default=None, description="Set to update; omit to create.")
    name: str | None = None
    filter_params: list[ViewConditionInput] | None = None

"""Root fields of collections and views."""
from __future__ import annotations

import strawberry

from resolvers.catalog import mutations, queries
from schema.catalog.inputs import CollectionAssetsInput, CollectionInput, ViewInput
from schema.catalog.payloads import CollectionPayload, ViewPayload
from schema.catalog.types import Collection, View
from schema.common import Connection
from schema.idempotency import idempotent_mutation
from schema.templates.payloads import DeletedPayload


@strawberry.type
class CatalogQuery:
    @strawberry.field
    async def collection(self, info: strawberry.Info, id: strawberry.ID) -> Collection | None:
        return await queries.collection(info, id)

    @strawberry.field
    async def collections(self, info: strawberry.Info, first: int | None = 16, after: str | None = None,
                          offset: int = 0) -> Connection[Collection]:
        return await queries.collections(info, first, after, offset)

    @strawberry.field
    async def view(self, info: strawberry.Info, id: strawberry.ID) -> View | None:
        return await queries.view(info, id)

    @strawberry.field
    async def views(self, info: strawberry.Info, first: int | None = 16, after: str | None = None,
                    offset: int = 0) -> Connection[View]:
        return await queries.views(info, first, after, offset)


@strawberry.type
class CatalogMutation:
    @idempotent_mutation(description="Create a collection (no id) or update one (id).")
    async def save_collection(self, info: strawberry.Info, input: CollectionInput) -> CollectionPayload:
        return await mutations.save_collection(info, input)

    @strawberry.mutation(description="Delete a collection; its assets stay, in no collection.")
    async def delete_collection(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_collection(info, id)

    @strawberry.mutation(description="Move assets into the collection (all of them or none).")
    async def add_collection_assets(self, info: strawberry.Info, input: CollectionAssetsInput) -> CollectionPayload:
        return await mutations.add_collection_assets(info, input)

    @strawberry.mutation(description="Take assets out of the collection (all of them or none).")
    async def remove_collection_assets(self, info: strawberry.Info, input: CollectionAssetsInput) -> CollectionPayload:
        return await mutations.remove_collection_assets(info, input)

    @idempotent_mutation(description="Create a view (no id) or update one (id); at least one condition.")
    async def save_view(self, info: strawberry.Info, input: ViewInput) -> ViewPayload:
        return await mutations.save_view(info, input)

    @strawberry.mutation
    async def delete_view(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_view(info, id)

"""Root fields of assets: lookups, listing, creation, multipart upload, deletion."""
from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.assets import mutations, queries
from schema.assets.inputs import AssetFilter, CreateAssetInput, DeleteAssetInput, FinishUploadInput, StartUploadInput
from schema.assets.payloads import CreateAssetPayload, DeleteAssetPayload, FinishUploadPayload, StartUploadPayload
from schema.assets.types import Asset, AssetConnection, AudioTrack
from schema.idempotency import idempotent_mutation


@strawberry.type
class AssetQuery:
    @strawberry.field
    async def asset(self, info: strawberry.Info, id: strawberry.ID) -> Asset | None:
        return await queries.asset(info, id)

    @strawberry.field
    async def asset_by_external_id(self, info: strawberry.Info, external_id: str) -> Asset | None:
        return await queries.asset_by_external_id(info, external_id)

    @strawberry.field
    async def assets(self, info: strawberry.Info, first: int | None = 16, after: str | None = None,
                     filter: AssetFilter | None = None, offset: int = 0,
                     view: Annotated[strawberry.ID | None, strawberry.argument(
                         description="a saved view's conditions; `filter` narrows them further, "
                                     "its single values win")] = None) -> AssetConnection:
        return await queries.assets(info, first, after, filter, offset, view)

    @strawberry.field
    async def audio_track(self, info: strawberry.Info, asset_id: strawberry.ID, id: strawberry.ID) -> AudioTrack | None:
        return await queries.audio_track(info, asset_id, id)


@strawberry.type
class AssetMutation:
    @idempotent_mutation
    async def create_asset(self, info: strawberry.Info, input: CreateAssetInput) -> CreateAssetPayload:
        return await mutations.create_asset(info, input)

    @idempotent_mutation(description="One signed URL per part; PUT each part and keep the ETag header.")
    async def start_upload(self, info: strawberry.Info, input: StartUploadInput) -> StartUploadPayload:
        return await mutations.start_upload(info, input.asset_id, input.parts, input.size)

    @idempotent_mutation(description="Assemble the parts (ETags in part order) and queue the probe job.")
    async def finish_upload(self, info: strawberry.Info, input: FinishUploadInput) -> FinishUploadPayload:
        return await mutations.finish_upload(info, input.asset_id, input.etags)

    @strawberry.mutation
    async def delete_asset(self, info: strawberry.Info, input: DeleteAssetInput) -> DeleteAssetPayload:
        return await mutations.delete_asset(info, input.id)

"""Root fields of clips, clip downloads, exports and external storages."""
from __future__ import annotations

import strawberry

from resolvers.clips import mutations, queries
from schema.clips.inputs import CreateClipsInput, DownloadClipsInput, ExportInput, ExternalStorageInput
from schema.clips.payloads import CreateClipsPayload, ExternalStoragePayload, JobOnlyPayload
from schema.clips.types import Clip, ExternalStorage
from schema.common import Connection
from schema.idempotency import idempotent_mutation
from schema.templates.payloads import DeletedPayload


@strawberry.type
class ClipQuery:
    @strawberry.field
    async def clip(self, info: strawberry.Info, id: strawberry.ID, asset_id: strawberry.ID | None = None) -> Clip | None:
        return await queries.clip(info, id, asset_id)

    @strawberry.field
    async def clips(self, info: strawberry.Info, asset_id: strawberry.ID, first: int | None = 16,
                    after: str | None = None, offset: int = 0) -> Connection[Clip]:
        return await queries.clip_page(info, asset_id, first, after, offset)

    @strawberry.field(description="Rendered clips to download, checked (all ready) in the order asked.")
    async def ready_clips(self, info: strawberry.Info, asset_id: strawberry.ID,
                          clip_ids: list[strawberry.ID]) -> list[Clip]:
        return await queries.ready_clips(info, asset_id, clip_ids)

    @strawberry.field
    async def external_storage(self, info: strawberry.Info, id: strawberry.ID) -> ExternalStorage | None:
        return await queries.storage(info, id)

    @strawberry.field
    async def external_storages(self, info: strawberry.Info, first: int | None = 16, after: str | None = None,
                                offset: int = 0) -> Connection[ExternalStorage]:
        return await queries.storage_page(info, first, after, offset)

    @strawberry.field(description="Any tenant's storage (admin keys only).")
    async def admin_external_storage(self, info: strawberry.Info, id: strawberry.ID) -> ExternalStorage | None:
        return await queries.storage(info, id, admin=True)

    @strawberry.field(description="Every tenant's storages (admin keys only).")
    async def admin_external_storages(self, info: strawberry.Info, first: int | None = 16, after: str | None = None,
                                      offset: int = 0) -> Connection[ExternalStorage]:
        return await queries.storage_page(info, first, after, offset, admin=True)


@strawberry.type
class ClipMutation:
    @idempotent_mutation(description="Cut clips from an asset: all are validated before any is queued; each renders "
                                     "in one ffmpeg pass.")
    async def create_clips(self, info: strawberry.Info, input: CreateClipsInput) -> CreateClipsPayload:
        return await mutations.create_clips(info, input)

    @idempotent_mutation(description="Zip rendered clips in the background; the job's result has the signed URL.")
    async def download_clips(self, info: strawberry.Info, input: DownloadClipsInput) -> JobOnlyPayload:
        return await mutations.download_clips(info, input)

    @idempotent_mutation(description="Export a clip, subtitles or metadata to an external storage.")
    async def export(self, info: strawberry.Info, input: ExportInput) -> JobOnlyPayload:
        return await mutations.export(info, input)

    @idempotent_mutation(description="Create (no id) or update an external storage; credentials are write-only.")
    async def save_external_storage(self, info: strawberry.Info, input: ExternalStorageInput) -> ExternalStoragePayload:
        return await mutations.save_storage(info, input)

    @strawberry.mutation
    async def delete_external_storage(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_storage(info, id)

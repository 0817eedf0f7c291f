"""Root fields of brandings: subtitle styles, overlay and intro/outro media, brandings, variants."""
from __future__ import annotations

import strawberry

from resolvers.brandings import mutations, queries
from schema.brandings.inputs import (BrandingInput, BrandingMediaInput, BrandingUploadInput, BrandingVariantInput,
                                     FinishBrandingUploadInput, SubtitleStyleInput)
from schema.brandings.payloads import (BrandingMediaPayload, BrandingPayload, BrandingUploadPayload,
                                       BrandingVariantPayload, FinishBrandingUploadPayload, SubtitleStylePayload)
from schema.brandings.types import Branding, BrandingMedia, BrandingMediaKind, BrandingVariant, SubtitleStyle
from schema.common import Connection
from schema.idempotency import idempotent_mutation
from schema.templates.payloads import DeletedPayload


@strawberry.type
class BrandingQuery:
    @strawberry.field
    async def subtitle_style(self, info: strawberry.Info, id: strawberry.ID) -> SubtitleStyle | None:
        return await queries.subtitle_style(info, id)

    @strawberry.field
    async def subtitle_styles(self, info: strawberry.Info, first: int | None = 16, after: str | None = None,
                              offset: int = 0) -> Connection[SubtitleStyle]:
        return await queries.subtitle_styles(info, first, after, offset)

    @strawberry.field(description="An overlay image or an intro/outro clip.")
    async def branding_media(self, info: strawberry.Info, kind: BrandingMediaKind, id: strawberry.ID) -> BrandingMedia | None:
        return await queries.media(info, kind, id)

    @strawberry.field
    async def branding_media_list(self, info: strawberry.Info, kind: BrandingMediaKind, first: int | None = 16,
                                  after: str | None = None, offset: int = 0) -> Connection[BrandingMedia]:
        return await queries.media_list(info, kind, first, after, offset)

    @strawberry.field
    async def branding(self, info: strawberry.Info, id: strawberry.ID) -> Branding | None:
        return await queries.branding(info, id)

    @strawberry.field
    async def brandings(self, info: strawberry.Info, first: int | None = 16, after: str | None = None,
                        offset: int = 0) -> Connection[Branding]:
        return await queries.brandings(info, first, after, offset)

    @strawberry.field
    async def branding_variant(self, info: strawberry.Info, branding_id: strawberry.ID,
                               id: strawberry.ID) -> BrandingVariant | None:
        return await queries.variant(info, branding_id, id)

    @strawberry.field
    async def branding_variants(self, info: strawberry.Info, branding_id: strawberry.ID, first: int | None = 16,
                                after: str | None = None, offset: int = 0) -> Connection[BrandingVariant]:
        return await queries.variants(info, branding_id, first, after, offset)


@strawberry.type
class BrandingMutation:
    @idempotent_mutation(description="Create (no id) or update a subtitle style; font_family must be installed.")
    async def save_subtitle_style(self, info: strawberry.Info, input: SubtitleStyleInput) -> SubtitleStylePayload:
        return await mutations.save_subtitle_style(info, input)

    @strawberry.mutation
    async def delete_subtitle_style(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_subtitle_style(info, id)

    @idempotent_mutation(description="Create (no id) or rename an overlay or intro/outro clip; then upload its file.")
    async def save_branding_media(self, info: strawberry.Info, input: BrandingMediaInput) -> BrandingMediaPayload:
        return await mutations.save_media(info, input)

    @strawberry.mutation(description="Delete an overlay or clip no variant uses.")
    async def delete_branding_media(self, info: strawberry.Info, kind: BrandingMediaKind,
                                    id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_media(info, kind, id)

    @idempotent_mutation(description="Presigned URLs for the media's file, one per part.")
    async def start_branding_upload(self, info: strawberry.Info, input: BrandingUploadInput) -> BrandingUploadPayload:
        return await mutations.start_upload(info, input)

    @idempotent_mutation(description="Confirm the upload; a job probes it (an image for overlays, a video for clips).")
    async def finish_branding_upload(self, info: strawberry.Info,
                                     input: FinishBrandingUploadInput) -> FinishBrandingUploadPayload:
        return await mutations.finish_upload(info, input)

    @idempotent_mutation
    async def save_branding(self, info: strawberry.Info, input: BrandingInput) -> BrandingPayload:
        return await mutations.save_branding(info, input)

    @strawberry.mutation
    async def delete_branding(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_branding(info, id)

    @idempotent_mutation(description="Create or update a branding's variant for one aspect ratio (one per ratio).")
    async def save_branding_variant(self, info: strawberry.Info, input: BrandingVariantInput) -> BrandingVariantPayload:
        return await mutations.save_variant(info, input)

    @strawberry.mutation
    async def delete_branding_variant(self, info: strawberry.Info, branding_id: strawberry.ID,
                                      id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_variant(info, str(branding_id), id)

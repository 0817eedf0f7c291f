"""Payloads of the branding mutations."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from schema.assets.payloads import UploadPart
from schema.brandings.types import Branding, BrandingMedia, BrandingVariant, SubtitleStyle
from schema.common import UserError


@strawberry.type
class SubtitleStylePayload:
    errors: list[UserError]

    @strawberry.field
    def subtitle_style(self) -> SubtitleStyle | None:
        return self.item


@strawberry.type
class BrandingMediaPayload:
    errors: list[UserError]

    @strawberry.field
    def media(self) -> BrandingMedia | None:
        return self.item


@strawberry.type
class BrandingUploadPayload:
    errors: list[UserError]
    upload_id: str | None
    expires_at: datetime | None

    @strawberry.field
    def media(self) -> BrandingMedia | None:
        return self.item

    @strawberry.field
    def parts(self) -> list[UploadPart]:
        return [UploadPart(part_number=i + 1, url=u) for i, u in enumerate(self.urls or [])]


@strawberry.type
class FinishBrandingUploadPayload:
    errors: list[UserError]
    job: Annotated["Job", strawberry.lazy("schema.jobs.types")] | None

    @strawberry.field
    def media(self) -> BrandingMedia | None:
        return self.item


@strawberry.type
class BrandingPayload:
    errors: list[UserError]

    @strawberry.field
    def branding(self) -> Branding | None:
        return self.item


@strawberry.type
class BrandingVariantPayload:
    errors: list[UserError]

    @strawberry.field
    def variant(self) -> BrandingVariant | None:
        return self.item

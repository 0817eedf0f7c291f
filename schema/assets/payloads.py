"""Payloads of asset mutations: the result or `errors`."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from schema.assets.types import Asset
from schema.common import UserError


@strawberry.type
class CreateAssetPayload:
    asset: Asset | None
    errors: list[UserError]


@strawberry.type
class UploadPart:
    part_number: int
    url: str


@strawberry.type
class StartUploadPayload:
    asset: Asset | None
    upload_id: str | None
    expires_at: datetime | None
    errors: list[UserError]

    @strawberry.field
    def parts(self) -> list[UploadPart]:
        return [UploadPart(**p) for p in (self.parts or [])]


@strawberry.type
class FinishUploadPayload:
    asset: Asset | None
    job: Annotated["Job", strawberry.lazy("schema.jobs.types")] | None
    errors: list[UserError]


@strawberry.type
class DeleteAssetPayload:
    errors: list[UserError]

    @strawberry.field
    def deleted_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.deleted_id)) if self.deleted_id else None

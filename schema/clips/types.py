"""Clip, ExternalStorage, their pages, and the enums of clips and exports."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import strawberry

from domain import languages
from domain.clips import models
from domain.exports import models as export_models
from resolvers.clips import fields as resolve
from schema.brandings.types import MediaError
from schema.common import JSONScalar, Node, model_check


LazyJob = Annotated["Job", strawberry.lazy("schema.jobs.types")]


@strawberry.enum
class ClipStatus(enum.Enum):
    QUEUED = "queued"
    RENDERING = "rendering"
    READY = "ready"
    FAILED = "failed"


@strawberry.enum
class ClipMode(enum.Enum):
    ACCURATE = "accurate"
    FAST = "fast"


@strawberry.enum
class ExternalStorageType(enum.Enum):
    AWS_S3 = "aws_s3"
    AZURE = "azure"
    GCP_STORAGE = "gcp_storage"
    DUMMY = "dummy"


@strawberry.type(description="A range of an asset rendered to one mp4: reframed, branded and subtitled as asked.")
class Clip(Node):
    is_type_of = model_check(models.Clip)
    status: ClipStatus
    start_ms: int
    end_ms: int
    start_frame: int | None
    end_frame: int | None
    aspect_ratio: str | None
    autoframing: bool
    with_sound_descriptions: bool
    subtitles_language: str | None
    mode: ClipMode
    duration_ms: int | None
    width: int | None
    height: int | None
    size: int | None
    created_at: datetime

    @strawberry.field
    def asset_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.asset_id))

    @strawberry.field
    def branding_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.branding_id)) if self.branding_id else None

    @strawberry.field
    def subtitles_language_id(self) -> strawberry.ID | None:
        language = languages.by_code(self.subtitles_language) if self.subtitles_language else None
        return strawberry.ID(str(language.id)) if language else None

    @strawberry.field(description="What the render did: crop, output size rule, stream copy, autoframing source, "
                                  "intro/outro lengths, subtitle cues, notes.")
    def options(self) -> JSONScalar:
        return self.options or {}

    @strawberry.field
    def error(self) -> MediaError | None:
        return MediaError(code=self.error_code, message=self.error_message) if self.error_code else None

    @strawberry.field(description="Signed, expiring URL of the mp4 once ready.")
    async def url(self, info: strawberry.Info, expires_in: int = 3600) -> str | None:
        return await resolve.clip_url(self, info, expires_in)

    @strawberry.field
    async def job(self, info: strawberry.Info) -> LazyJob | None:
        return await resolve.clip_job(self, info)


@strawberry.type(description="A storage exports write to; credentials are stored encrypted and never returned.")
class ExternalStorage(Node):
    is_type_of = model_check(export_models.ExternalStorage)
    name: str
    type: ExternalStorageType
    export_path: str | None
    created_at: datetime
    last_export_at: datetime | None

    @strawberry.field
    def destination(self) -> JSONScalar:
        return self.destination or {}

    @strawberry.field(description="Whether credentials are stored (they are never returned).")
    def has_authentication_data(self) -> bool:
        return bool(self.secret)

    external_id: str | None = strawberry.field(
        resolver=resolve.storage_external_id,
        description="S3 storages: the ExternalId sent whenever this deployment assumes the storage's iam_role_arn. "
                    "Require it in the role's trust policy (sts:ExternalId); the server made it, one per tenant, and "
                    "it cannot be chosen.")

    @strawberry.field
    def tenant_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.tenant_id))


@strawberry.enum
class ExportFormat(enum.Enum):
    VTT = "vtt"
    SRT = "srt"
    STL = "stl"
    JSON = "json"

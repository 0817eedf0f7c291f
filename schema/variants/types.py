"""Variant (one rendered candidate of a region edit), GenerationJob (a job seen as the editor document shows it),
VariantScore and the AI providers' health."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import strawberry

from domain.editor import models
from resolvers.variants import fields as resolve
from schema.common import JSONScalar, model_check

LazyJob = Annotated["Job", strawberry.lazy("schema.jobs.types")]


@strawberry.enum(description="The editor document's job status words (queued reads pending, cancelled failed).")
class GenerationStatus(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


@strawberry.type(description="A box in relative units (0..1) of the frame.")
class BoundingBox:
    x: float
    y: float
    width: float
    height: float


@strawberry.type(description="One rendered candidate of a region edit over a range of the source (startTs..endTs).")
class Variant:
    is_type_of = model_check(models.Variant)
    id: strawberry.ID
    prompt: str
    created_at: datetime
    accepted_at: datetime | None

    @strawberry.field
    def project_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.project_id))

    @strawberry.field
    def job_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.job_id)) if self.job_id else None

    @strawberry.field(description="Source second the variant's range starts at.")
    def start_ts(self) -> float:
        return self.start_ms / 1000

    @strawberry.field(description="Source second the variant's range ends at.")
    def end_ts(self) -> float:
        return self.end_ms / 1000

    @strawberry.field
    def bounding_box(self) -> BoundingBox | None:
        return BoundingBox(**self.box) if self.box else None

    @strawberry.field(description="blur, pixelate, remove, zoom, spotlight, grayscale, or generative (remote).")
    def operation(self) -> str:
        return (self.operation or {}).get("operation", "generative")

    @strawberry.field(description="The strength (0..1] of a local edit; null for a remote provider's variant.")
    def strength(self) -> float | None:
        return (self.operation or {}).get("strength")

    @strawberry.field
    def provider(self) -> str:
        return (self.operation or {}).get("provider", "local")

    @strawberry.field(description="The measures taken against the original range when it was rendered.")
    def metrics(self) -> JSONScalar | None:
        return (self.operation or {}).get("metrics")

    @strawberry.field(description="Signed URL of the variant's video (H.264/AAC MP4 of the range).")
    async def url(self, info: strawberry.Info, expires_in: int = 3600) -> str | None:
        return await resolve.signed(info, self.file_key, expires_in, "video/mp4")

    @strawberry.field(description="Signed URL of a JPEG frame from the middle of the range.")
    async def preview_url(self, info: strawberry.Info, expires_in: int = 3600) -> str | None:
        return await resolve.signed(info, self.preview_key, expires_in, "image/jpeg")


@strawberry.type(description="A job as the editor sees it: status words, the error message, and its variants.")
class GenerationJob:
    id: strawberry.ID
    kind: str
    progress: int
    stage: str | None

    @strawberry.field
    def project_id(self) -> strawberry.ID | None:
        return resolve.project_id(self)

    @strawberry.field
    def status(self) -> GenerationStatus:
        return GenerationStatus(resolve.status_word(self))

    @strawberry.field
    def error(self) -> str | None:
        return self.error_message

    @strawberry.field
    def error_code(self) -> str | None:
        return self.error_code

    @strawberry.field
    def prompt(self) -> str | None:
        return (self.input or {}).get("prompt")

    @strawberry.field
    def operation(self) -> str | None:
        return (self.input or {}).get("operation")

    @strawberry.field
    def provider(self) -> str | None:
        return self.provider

    @strawberry.field(description="The rendered variants (a completed region_edit job has 2-3); empty otherwise.")
    async def variants(self, info: strawberry.Info) -> list[Variant]:
        return await resolve.variants(self, info)

    @strawberry.field(description="The same job as a Job (kind, input, result, timestamps).")
    def job(self) -> LazyJob:
        return self


@strawberry.type(description="A variant's score; `method` says what produced it (local-metrics or vision-language).")
class VariantScore:
    variant_id: strawberry.ID
    compare_to: str
    method: str
    overall_rating: str
    details: str
    fidelity_to_prompt: str
    visual_quality: str
    metrics: JSONScalar | None


@strawberry.type
class AiProvider:
    id: str
    name: str
    role: str
    configured: bool
    reachable: bool
    operations: list[str]
    detail: str


@strawberry.type(description="Generation and scoring providers: configured, and answering now.")
class AiHealth:
    status: str
    providers: list[AiProvider]

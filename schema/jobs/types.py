"""Job, its enums, results and connection."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import strawberry

from domain.jobs.models import Job as JobModel
from domain.jobs.snapshot import JobSnapshot
from resolvers.webhooks import fields as webhooks
from resolvers.jobs import fields
from schema.assets.types import MediaInfo
from schema.common import ErrorCode, JSONScalar, Node, PageInfo


@strawberry.enum
class JobKind(enum.Enum):
    PROBE = "probe"
    TRANSCRIPTION = "transcription"
    TRANSLATION = "translation"
    TEXT_TRANSLATION = "text_translation"
    RETRANSLATION = "retranslation"
    VOICE_OVER = "voice_over"
    VIDEO_ANALYSIS = "video_analysis"
    MEDIA_ANALYSIS = "media_analysis"
    CLIP_RENDER = "clip_render"
    CLIP_DOWNLOAD = "clip_download"
    EXPORT = "export"
    BRANDING_UPLOAD = "branding_upload"
    SUBMISSION = "submission"
    GENERATION = "generation"
    COLOR_GRADE = "color_grade"
    REGION_EDIT = "region_edit"
    TIMELINE_EXPORT = "timeline_export"
    SEARCH_INDEX = "search_index"


@strawberry.enum
class JobStatus(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


@strawberry.enum
class Priority(enum.Enum):
    LOW = "low"
    STANDARD = "standard"
    HIGH = "high"


@strawberry.type
class JobError:
    code: ErrorCode
    message: str


@strawberry.type
class WebhookDelivery:
    event: str
    attempt: int
    status_code: int | None
    error: str | None
    delivered_at: datetime | None


@strawberry.type
class Webhook:
    url: str
    header_names: list[str]
    deliveries: list[WebhookDelivery]


@strawberry.type
class ProbeResult:
    media: MediaInfo
    duration_ms: int | None


@strawberry.type(description="Result of a job kind without a typed result yet; `data` holds it whole.")
class GenericResult:
    data: JSONScalar


@strawberry.type(description="What a translation job produced: transcripts, text, or a translated document.")
class TranslationResult:
    source_language: str | None
    target_language: str | None
    content: str | None
    file: Annotated["StoredFile", strawberry.lazy("schema.assets.types")] | None
    character_count: int
    provider_calls: int
    data: JSONScalar
    transcriptions: list[Annotated["Transcription", strawberry.lazy("schema.transcripts.types")]]


@strawberry.type(description="What a voice-over job produced; warnings name segments that had to be trimmed.")
class VoiceOverResult:
    warnings: JSONScalar
    data: JSONScalar
    audio_tracks: list[Annotated["AudioTrack", strawberry.lazy("schema.assets.types")]]
    video: Annotated["StoredFile", strawberry.lazy("schema.assets.types")] | None


@strawberry.type(description="Several clips zipped for download.")
class ClipDownloadResult:
    file: Annotated["StoredFile", strawberry.lazy("schema.assets.types")] | None
    clip_ids: list[strawberry.ID]
    data: JSONScalar


JobResult = Annotated[ProbeResult | TranslationResult | VoiceOverResult | ClipDownloadResult | GenericResult,
                      strawberry.union("JobResult")]


@strawberry.type
class Job(Node):
    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, (JobModel, JobSnapshot))

    kind: JobKind
    status: JobStatus
    stage: str | None
    progress: int
    provider: str | None
    label: str | None
    priority: Priority
    input: JSONScalar
    options: JSONScalar
    client_meta: JSONScalar | None
    created_at: datetime
    processed_at: datetime | None
    completed_at: datetime | None
    error: JobError | None = strawberry.field(resolver=fields.error)
    webhook: Webhook | None = strawberry.field(resolver=webhooks.webhook)
    asset: Annotated["Asset", strawberry.lazy("schema.assets.types")] | None = strawberry.field(resolver=fields.asset)
    parent: Job | None = strawberry.field(resolver=fields.parent)
    children: list[Job] = strawberry.field(resolver=fields.children)
    result_document: JSONScalar | None = strawberry.field(
        resolver=fields.result_document,
        description="The job's documented Result (what `jobResultDocument` answers): null until completed. Read per "
                    "job (a transcript's file is stored and its links signed): select it on one job, not on lists.")

    @strawberry.field
    async def result(self, info: strawberry.Info) -> JobResult | None:
        data = self.result
        if data is None:
            return None
        if self.kind == "probe":
            return ProbeResult(media=MediaInfo.of(data.get("media")), duration_ms=data.get("duration_ms"))
        if self.kind in ("translation", "retranslation", "text_translation"):
            return TranslationResult(source_language=data.get("source_language"),
                                     target_language=data.get("target_language"), content=data.get("content"),
                                     file=await fields.stored_file(self, info, data.get("file_id")),
                                     character_count=data.get("character_count") or 0,
                                     provider_calls=data.get("provider_calls") or 0, data=data,
                                     transcriptions=await fields.translations(self, info))
        if self.kind == "voice_over":
            return VoiceOverResult(warnings=data.get("warnings") or [], data=data,
                                   audio_tracks=await fields.dubbed_tracks(self, info),
                                   video=await fields.dubbed_video(self, info))
        if self.kind == "clip_download":
            return ClipDownloadResult(file=await fields.stored_file(self, info, data.get("file_id")),
                                      clip_ids=[strawberry.ID(i) for i in data.get("clip_ids") or []], data=data)
        return GenericResult(data=data)

    @strawberry.field(description="The event's place in its tenant's event log (on subscription events): pass the last "
                                  "one seen as `after` to resume. Null on a plain read of the job.")
    def sequence(self) -> int | None:
        return getattr(self, "sequence", None)

    @strawberry.field(description="Catalog ids of the languages the job's input names (`input.languages` codes).")
    def language_ids(self) -> list[strawberry.ID]:
        return [strawberry.ID(i) for i in fields.language_ids(self)]

    @strawberry.field(description="The transcript a completed transcription job produced.")
    async def transcription(self, info: strawberry.Info) -> Annotated["Transcription", strawberry.lazy("schema.transcripts.types")] | None:
        return await fields.transcription(self, info)

    @strawberry.field(description="Signed URLs of the files a media-analysis job made (thumbnails, faces, waveform).")
    async def pipeline_assets(self, info: strawberry.Info) -> JSONScalar | None:
        from resolvers.analysis import fields as analysis

        return await analysis.pipeline_assets(self, info)

    @strawberry.field(description="The raw result document, as REST dialects render it.")
    def result_data(self) -> JSONScalar | None:
        return self.result


@strawberry.type
class JobEdge:
    cursor: str
    node: Job


@strawberry.type
class JobConnection:
    edges: list[JobEdge]
    page_info: PageInfo
    total_count: int

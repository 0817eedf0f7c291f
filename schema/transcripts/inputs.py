"""Inputs of transcribe and of the segment and speaker mutations."""
from __future__ import annotations

import enum

import strawberry

from schema.common import JSONScalar
from schema.jobs.types import Priority


@strawberry.input
class WebhookInput:
    url: str
    headers: JSONScalar | None = None


@strawberry.enum
class TranscriptFormat(enum.Enum):
    JSON = "json"
    SRT = "srt"
    VTT = "vtt"


@strawberry.enum
class MediaKind(enum.Enum):
    AUDIO = "audio"
    VIDEO = "video"


@strawberry.input
class TranscribeInput:
    asset_id: strawberry.ID | None = strawberry.field(default=None, description="An asset, or give url instead.")
    url: str | None = strawberry.field(default=None, description="http(s) media the server downloads and keeps as an asset")
    media_type: MediaKind | None = None
    format: TranscriptFormat = TranscriptFormat.JSON
    timestamps: bool = True
    language: str | None = strawberry.field(default=None, description="BCP 47; omitted = the model's language")
    audio_track: int = 0
    word_timestamps: bool = False
    diarization: bool = False
    min_speakers: int | None = None
    max_speakers: int | None = None
    priority: Priority = Priority.STANDARD
    provider: str | None = None
    webhook: WebhookInput | None = None
    client_meta: JSONScalar | None = None


@strawberry.input
class SegmentInput:
    start_ms: int
    end_ms: int
    text: str
    speaker: str | None = strawberry.field(default=None, description="A speaker id, label or name (new names create one).")
    original_segment_id: strawberry.ID | None = None


@strawberry.input
class AddSegmentsInput:
    transcription_id: strawberry.ID
    segments: list[SegmentInput]
    asset_id: strawberry.ID | None = None


@strawberry.input
class SegmentPatch:
    id: strawberry.ID
    start_ms: int | None = None
    end_ms: int | None = None
    text: str | None = None
    speaker_id: strawberry.ID | None = None


@strawberry.input
class UpdateSegmentsInput:
    transcription_id: strawberry.ID
    segments: list[SegmentPatch]
    asset_id: strawberry.ID | None = None


@strawberry.input
class UpdateSegmentInput:
    transcription_id: strawberry.ID
    segment: SegmentPatch
    asset_id: strawberry.ID | None = None


@strawberry.input
class CreateSpeakerInput:
    asset_id: strawberry.ID
    name: str


@strawberry.input
class UpdateSpeakerInput:
    asset_id: strawberry.ID
    id: strawberry.ID
    name: str


@strawberry.input
class DeleteSpeakerInput:
    asset_id: strawberry.ID
    id: strawberry.ID

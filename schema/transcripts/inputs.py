"""Inputs of transcript mutations."""
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

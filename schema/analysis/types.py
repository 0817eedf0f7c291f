"""Inputs of video analysis."""
from __future__ import annotations

import enum

import strawberry

from schema.common import JSONScalar
from schema.jobs.types import Priority
from schema.transcripts.inputs import WebhookInput


@strawberry.enum
class AnalysisFeature(enum.Enum):
    LABELS = "labels"
    SCENES = "scenes"
    FACES = "faces"
    SPEECH_TO_TEXT = "speech_to_text"
    OCR = "ocr"
    CONTENT_MODERATION = "content_moderation"
    SENTIMENT = "sentiment"
    TOPICS = "topics"
    BRANDS = "brands"
    SUMMARY = "summary"


@strawberry.enum
class QualityProfile(enum.Enum):
    LOW = "low"
    BALANCED = "balanced"
    HIGH = "high"
    ULTRA = "ultra"


@strawberry.input
class AnalyzeVideoInput:
    features: list[AnalysisFeature]
    asset_id: strawberry.ID | None = None
    url: str | None = strawberry.field(default=None, description="http(s) media the server downloads (guarded)")
    audio_track: int = 0
    language: str | None = None
    confidence_threshold: float = 0.5
    profile: QualityProfile = QualityProfile.BALANCED
    priority: Priority = Priority.STANDARD
    provider: str | None = None
    webhook: WebhookInput | None = None
    client_meta: JSONScalar | None = None

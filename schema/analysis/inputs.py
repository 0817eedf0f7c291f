"""Inputs of video and media analysis."""
from __future__ import annotations

import strawberry

from schema.analysis.types import AnalysisFeature, QualityProfile
from schema.common import JSONScalar
from schema.jobs.types import Priority
from schema.transcripts.inputs import WebhookInput


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


@strawberry.input
class AnalyzeMediaInput:
    media_type: str = strawberry.field(description="image, video or audio")
    media: str | None = strawberry.field(default=None, description="http(s) URL, fetched by the guarded client")
    media_base64: str | None = strawberry.field(default=None, description="at most 2 MB once decoded")
    categories: list[str] | None = None
    custom_category: str | None = None
    system_prompt: str | None = None
    model: str | None = None
    detail: str = "balanced"
    transcribe: bool = False
    transcribe_diarize: bool = False
    transcribe_align: bool = False
    auth: JSONScalar | None = strawberry.field(default=None, description="cookies_txt, cookie_string, headers: used "
                                                                         "for the download only, never stored")

"""Provider and ProviderResource."""
from __future__ import annotations

import enum

import strawberry


@strawberry.enum
class ResourceType(enum.Enum):
    MEDIA = "media"
    TRANSCRIPTIONS = "transcriptions"
    TRANSLATIONS = "translations"
    VIDEO_ANALYSES = "video_analyses"
    SPEECH = "speech"
    LANGUAGE_MODEL = "language_model"


@strawberry.type
class ProviderResource:
    type: ResourceType
    features: list[str]
    languages: list[str] | None


@strawberry.type
class Provider:
    id: strawberry.ID
    name: str
    resources: list[ProviderResource]

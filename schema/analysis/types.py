"""Analysis results of the asset pipeline (items, scenes, faces, autocenter) and the analysis enums."""
from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from domain.analysis import models
from resolvers.analysis import fields
from schema.assets.types import StoredFile
from schema.common import JSONScalar, Node, model_check


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
    SOUND_DESCRIPTIONS = "sound_descriptions"


@strawberry.enum
class QualityProfile(enum.Enum):
    LOW = "low"
    BALANCED = "balanced"
    HIGH = "high"
    ULTRA = "ultra"


@strawberry.enum
class AnalysisItemKind(enum.Enum):
    CAMERA_SHOT = "camera_shot"
    FACE = "face"
    AUTOCENTER = "autocenter"
    SOUND_DESCRIPTION = "sound_description"
    METADATA = "metadata"


@strawberry.type(description="One result of the asset pipeline's analysis: a shot, a face track, an autocenter "
                             "series, a sound description or a metadata document.")
class AnalysisItem(Node):
    is_type_of = model_check(models.AnalysisItem)
    kind: AnalysisItemKind
    start_ms: int | None
    end_ms: int | None
    data: JSONScalar
    created_at: datetime
    file: StoredFile | None = strawberry.field(resolver=fields.file_of)


@strawberry.type
class TimedInstance:
    start_ms: int
    end_ms: int
    confidence: float | None


@strawberry.type
class Scene:
    index: int
    start_ms: int
    end_ms: int
    thumbnail: StoredFile | None = strawberry.field(resolver=fields.file_of)


@strawberry.type
class FaceTrack:
    track_id: int
    fingerprint: str
    crop: StoredFile | None = strawberry.field(resolver=fields.file_of)

    @strawberry.field
    def instances(self) -> list[TimedInstance]:
        return [TimedInstance(start_ms=i["start_ms"], end_ms=i["end_ms"], confidence=i.get("confidence"))
                for i in self.instances]


@strawberry.type
class AutocenterPoint:
    scene: int
    ms: int
    x: float
    y: float


@strawberry.type(description="The asset pipeline's analysis: shots, faces, autocenter, sound, text results.")
class AssetAnalysis:
    scenes: list[Scene]
    faces: list[FaceTrack]
    autocenter: list[AutocenterPoint]
    sound_descriptions: list[AnalysisItem]
    sentiment: JSONScalar | None
    topics: JSONScalar
    summary: str | None
    ocr: JSONScalar
    entities: list[str]
    classification: str | None

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


@strawberry.type(description="A MetaVision category: the media types it reads, and whether a configured model can "
                             "answer it (some need a vision-language model).")
class AnalysisCategory:
    id: str
    name: str
    description: str
    media_types: list[str]
    needs_vision_model: bool
    available: bool


@strawberry.type(description="A MetaVision agent (model) that answers categories.")
class AnalysisModel:
    id: str
    name: str
    vision: bool


@strawberry.type
class AnalysisCatalog:
    categories: list[AnalysisCategory]
    models: list[AnalysisModel]


@strawberry.type
class AnalysisQualityProfile:
    id: str
    name: str
    billing_multiplier: int


@strawberry.type(description="Prices per category by media type, the quality profiles' multipliers and the rule.")
class AnalysisPrices:
    price_per_image: float
    price_per_video: float
    price_per_audio: float
    quality_profiles: list[AnalysisQualityProfile]
    billing_note: str


@strawberry.type(description="Counts of a set of media-analysis requests and what they were billed.")
class AnalysisUsage:
    total_requests: int
    total_success: int
    total_failed: int
    total_billed: float


@strawberry.type
class AnalysisUsageByType:
    media_type: str
    request_count: int
    success_count: int
    failed_count: int
    total_billed: float


@strawberry.type(description="Usage within the from/to days asked for (both inclusive).")
class AnalysisUsageRange:
    total_requests: int
    total_success: int
    total_failed: int
    total_billed: float
    since: str | None = strawberry.field(name="from")
    until: str | None = strawberry.field(name="to")


@strawberry.type(description="Usage of media analysis: overall, today, this week and month, per media type, a range.")
class AnalysisBalance:
    api_key_prefix: str
    description: str
    overall: AnalysisUsage
    today: AnalysisUsage
    week: AnalysisUsage
    month: AnalysisUsage
    breakdown_by_type: list[AnalysisUsageByType]
    custom_range: AnalysisUsageRange | None


@strawberry.type(description="One past media-analysis request (its job), as the account history lists it.")
class AnalysisRequest:
    request_id: strawberry.ID
    status: str
    media_type: str | None
    categories: list[str]
    quality_profile: str | None
    billed_amount: float
    execution_time: float | None
    successful_categories: int
    failed_categories: int
    tokens_in: int
    tokens_out: int
    agent_name: str | None
    created_at: datetime

"""Transcription, Segment, Word, Speaker and subtitle formats."""
from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from domain.transcripts import models
from resolvers.transcripts import fields
from schema.common import JSONScalar, Node, model_check


@strawberry.enum
class TranscriptSource(enum.Enum):
    ASR = "asr"
    TRANSLATION = "translation"
    MANUAL = "manual"


@strawberry.enum
class SubtitleFormat(enum.Enum):
    SRT = "srt"
    VTT = "vtt"
    STL = "stl"
    JSON = "json"


@strawberry.enum
class VttFlavor(enum.Enum):
    STANDARD = "standard"
    SIMPLIFIED = "simplified"


@strawberry.enum(description="How subtitles name speakers: their (editable) name, their fixed label, or not at all.")
class SpeakerLabels(enum.Enum):
    NAME = "name"
    LABEL = "label"
    NONE = "none"


@strawberry.type
class Speaker(Node):
    is_type_of = model_check(models.Speaker)
    name: str
    label: str


@strawberry.type
class Word:
    word: str
    start_ms: int
    end_ms: int
    confidence: float | None
    speaker: str | None = strawberry.field(description="The speaker's label, e.g. SPEAKER_00.")


@strawberry.type
class Segment(Node):
    is_type_of = model_check(models.Segment)
    start_ms: int
    end_ms: int
    text: str
    speaker: Speaker | None = strawberry.field(resolver=fields.segment_speaker)
    words: list[Word] | None = strawberry.field(resolver=fields.words)

    @strawberry.field
    def original_segment_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.original_segment_id)) if self.original_segment_id else None


@strawberry.type
class Transcription(Node):
    is_type_of = model_check(models.Transcription)
    language: str
    source: TranscriptSource
    status: str
    model: str | None
    options: JSONScalar
    created_at: datetime
    segments: list[Segment] = strawberry.field(resolver=fields.segments)

    @strawberry.field
    def asset_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.asset_id))

    @strawberry.field(description="SRT, WebVTT or JSON as text; EBU-STL base64-encoded.")
    async def subtitles(self, info: strawberry.Info, format: SubtitleFormat, flavor: VttFlavor = VttFlavor.STANDARD,
                        include_sound_descriptions: bool = True,
                        speaker_labels: SpeakerLabels = SpeakerLabels.NAME) -> str:
        return await fields.subtitles(self, info, format.value, flavor.value, include_sound_descriptions,
                                      speaker_labels.value)

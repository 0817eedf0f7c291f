"""Inputs and payloads of segment and speaker mutations."""
from __future__ import annotations

import strawberry

from schema.common import UserError
from schema.transcripts.types import Segment, Speaker, Transcription


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


@strawberry.type
class SegmentPayload:
    segment: Segment | None
    errors: list[UserError]


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


@strawberry.type
class TranscriptionPayload:
    transcription: Transcription | None
    errors: list[UserError]


@strawberry.type
class SegmentsPayload:
    segments: list[Segment] | None
    transcription: Transcription | None
    errors: list[UserError]


@strawberry.type
class SpeakerPayload:
    speaker: Speaker | None
    errors: list[UserError]


@strawberry.type
class DeleteSpeakerPayload:
    errors: list[UserError]

    @strawberry.field
    def deleted_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.deleted_id)) if self.deleted_id else None

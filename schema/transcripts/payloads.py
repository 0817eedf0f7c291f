"""Payloads of segment and speaker mutations."""
from __future__ import annotations

import strawberry

from schema.common import UserError
from schema.transcripts.types import Segment, Speaker, Transcription


@strawberry.type
class SegmentPayload:
    segment: Segment | None
    errors: list[UserError]


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

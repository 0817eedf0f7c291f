"""Root fields of transcripts: lookup, transcribe, segment and speaker edits."""
from __future__ import annotations

import strawberry

from resolvers.transcripts import mutations, queries
from schema.idempotency import idempotent_mutation
from schema.jobs.payloads import JobPayload
from schema.transcripts.inputs import (AddSegmentsInput, CreateSpeakerInput, DeleteSpeakerInput, TranscribeInput,
                                       UpdateSegmentInput, UpdateSegmentsInput, UpdateSpeakerInput)
from schema.transcripts.payloads import (DeleteSpeakerPayload, SegmentPayload, SegmentsPayload, SpeakerPayload,
                                         TranscriptionPayload)
from schema.transcripts.types import Transcription


@strawberry.type
class TranscriptQuery:
    @strawberry.field
    async def transcription(self, info: strawberry.Info, id: strawberry.ID,
                            asset_id: strawberry.ID | None = None) -> Transcription | None:
        return await queries.transcription(info, id, asset_id)


@strawberry.type
class TranscriptMutation:
    @idempotent_mutation(description="Transcribe an asset's audio; progress arrives on jobUpdated.")
    async def transcribe(self, info: strawberry.Info, input: TranscribeInput) -> JobPayload:
        return await mutations.transcribe(info, input)

    @idempotent_mutation(description="Add segments by hand (all validated before any is written).")
    async def add_segments(self, info: strawberry.Info, input: AddSegmentsInput) -> TranscriptionPayload:
        return await mutations.add_segments(info, input)

    @strawberry.mutation(description="Change many segments at once: start < end, within the media, text not empty.")
    async def update_segments(self, info: strawberry.Info, input: UpdateSegmentsInput) -> SegmentsPayload:
        return await mutations.update_segments(info, input.transcription_id, input.asset_id, input.segments)

    @strawberry.mutation(description="Change one segment (validated like updateSegments).")
    async def update_segment(self, info: strawberry.Info, input: UpdateSegmentInput) -> SegmentPayload:
        return await mutations.update_segment(info, input.transcription_id, input.asset_id, input.segment)

    @idempotent_mutation
    async def create_speaker(self, info: strawberry.Info, input: CreateSpeakerInput) -> SpeakerPayload:
        return await mutations.create_speaker(info, input.asset_id, input.name)

    @strawberry.mutation
    async def update_speaker(self, info: strawberry.Info, input: UpdateSpeakerInput) -> SpeakerPayload:
        return await mutations.rename_speaker(info, input.asset_id, input.id, input.name)

    @strawberry.mutation(description="Delete a speaker; its segments stay, unassigned.")
    async def delete_speaker(self, info: strawberry.Info, input: DeleteSpeakerInput) -> DeleteSpeakerPayload:
        return await mutations.delete_speaker(info, input.asset_id, input.id)

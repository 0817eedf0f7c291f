"""Root fields of the language catalog, translation and voice-over."""
from __future__ import annotations

import strawberry

from resolvers.translation import mutations, queries
from schema.idempotency import idempotent_mutation
from schema.jobs.payloads import JobPayload
from schema.translation.inputs import RetranslateInput, TranslateInput, TranslateTextInput, VoiceOverInput
from schema.translation.types import Language


@strawberry.type
class TranslationQuery:
    @strawberry.field(description="The language catalog with what the configured providers offer per language.")
    def languages(self, info: strawberry.Info) -> list[Language]:
        return queries.languages(info)

    @strawberry.field
    def language(self, info: strawberry.Info, id: strawberry.ID) -> Language | None:
        return queries.language(info, id)


@strawberry.type
class TranslationMutation:
    @idempotent_mutation(description="Translate the asset's transcript into each language (one transcript per language).")
    async def translate(self, info: strawberry.Info, input: TranslateInput) -> JobPayload:
        return await mutations.translate(info, input)

    @idempotent_mutation(description="Translate text, or a document (plain text, SRT, WebVTT, DOCX) at a URL.")
    async def translate_text(self, info: strawberry.Info, input: TranslateTextInput) -> JobPayload:
        return await mutations.translate_text(info, input)

    @idempotent_mutation(description="Re-translate only the segments whose source text changed since translation.")
    async def retranslate(self, info: strawberry.Info, input: RetranslateInput) -> JobPayload:
        return await mutations.retranslate(info, input)

    @idempotent_mutation(description="Dub the asset: espeak-ng speech per translated segment, fitted and mixed "
                                     "(ducked, or the original muted), stored as new audio tracks and an mp4.")
    async def voice_over(self, info: strawberry.Info, input: VoiceOverInput) -> JobPayload:
        return await mutations.voice_over_asset(info, input)

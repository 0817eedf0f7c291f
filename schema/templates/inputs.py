"""Inputs of the template, word list and dictionary mutations."""
from __future__ import annotations

import strawberry

from schema.common import JSONScalar
from schema.templates.types import WordListKind


@strawberry.input
class VoiceOverConfigInput:
    clone_voice: bool = False
    mute_original_voice: bool = False


@strawberry.input
class TemplateInput:
    id: strawberry.ID | None = strawberry.field(default=None, description="Set to update; omit to create.")
    name: str | None = None
    dictionary_ids: list[strawberry.ID] | None = None
    blacklist_ids: list[strawberry.ID] | None = None
    whitelist_ids: list[strawberry.ID] | None = None
    translation_language_ids: list[strawberry.ID] | None = None
    voice_over_language_ids: list[strawberry.ID] | None = None
    enabled_ocr: bool | None = None
    voice_over_config: VoiceOverConfigInput | None = None


@strawberry.input
class WordListInput:
    kind: WordListKind
    id: strawberry.ID | None = None
    name: str | None = None
    words: list[str] | None = None
    language_id: strawberry.ID | None = None
    template_id: strawberry.ID | None = None


@strawberry.input
class DictionaryInput:
    id: strawberry.ID | None = None
    name: str | None = None
    dictionary: JSONScalar | None = None
    template_id: strawberry.ID | None = None

"""Template, WordList and Dictionary, and their pages."""
from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from domain.templates import models
from schema.common import JSONScalar, Node, model_check


@strawberry.enum
class WordListKind(enum.Enum):
    BLACKLIST = "blacklist"
    WHITELIST = "whitelist"


@strawberry.type
class VoiceOverConfig:
    clone_voice: bool
    mute_original_voice: bool


def _ids(values) -> list[strawberry.ID]:
    return [strawberry.ID(str(v)) for v in values or []]


@strawberry.type
class Template(Node):
    is_type_of = model_check(models.Template)
    name: str
    enabled_ocr: bool
    created_at: datetime

    @strawberry.field
    def dictionary_ids(self) -> list[strawberry.ID]:
        return _ids(self.dictionary_ids)

    @strawberry.field
    def blacklist_ids(self) -> list[strawberry.ID]:
        return _ids(self.blacklist_ids)

    @strawberry.field
    def whitelist_ids(self) -> list[strawberry.ID]:
        return _ids(self.whitelist_ids)

    @strawberry.field
    def translation_language_ids(self) -> list[strawberry.ID]:
        return _ids(self.translation_language_ids)

    @strawberry.field
    def voice_over_language_ids(self) -> list[strawberry.ID]:
        return _ids(self.voice_over_language_ids)

    @strawberry.field
    def voice_over_config(self) -> VoiceOverConfig:
        config = self.voice_over_config or {}
        return VoiceOverConfig(clone_voice=bool(config.get("clone_voice")),
                               mute_original_voice=bool(config.get("mute_original_voice")))


@strawberry.type
class WordList(Node):
    is_type_of = model_check(models.WordList)
    kind: WordListKind
    name: str
    words: list[str]
    created_at: datetime

    @strawberry.field
    def language_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.language_id)) if self.language_id else None

    @strawberry.field
    def template_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.template_id)) if self.template_id else None


@strawberry.type
class Dictionary(Node):
    is_type_of = model_check(models.Dictionary)
    name: str
    created_at: datetime

    @strawberry.field(description='Terms and their expansions, e.g. {"AI": ["Artificial Intelligence"]}.')
    def dictionary(self) -> JSONScalar:
        return self.entries

    @strawberry.field
    def template_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.template_id)) if self.template_id else None

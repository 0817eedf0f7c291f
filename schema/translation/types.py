"""Language (the catalog with this deployment's capabilities) and the translation enums."""
from __future__ import annotations

import enum

import strawberry

from domain.translation.catalog import LanguageEntry
from schema.common import Node


@strawberry.type(description="A catalog language; the booleans say what the configured providers offer for it.")
class Language(Node):
    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, LanguageEntry)

    transcription: bool
    translation: bool
    voice_over: bool

    @strawberry.field(description="BCP 47 code")
    def code(self) -> str:
        return self.language.code

    @strawberry.field(description="English name")
    def name(self) -> str:
        return self.language.name

    @strawberry.field
    def native_name(self) -> str:
        return self.language.native_name


@strawberry.enum
class Formality(enum.Enum):
    DEFAULT = "default"
    FORMAL = "formal"
    INFORMAL = "informal"


@strawberry.enum
class TextInputKind(enum.Enum):
    TEXT = "text"
    DOCUMENT = "document"

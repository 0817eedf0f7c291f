"""Language (the catalog with this deployment's capabilities) and the translation and voice-over inputs."""
from __future__ import annotations

import enum

import strawberry

from domain.translation.catalog import LanguageEntry
from schema.common import JSONScalar, Node
from schema.jobs.types import Priority
from schema.transcripts.inputs import WebhookInput


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


@strawberry.input
class TranslateInput:
    asset_id: strawberry.ID
    language_ids: list[strawberry.ID] = strawberry.field(description="Catalog ids (BCP 47 codes are accepted too).")
    provider: str | None = None
    formality: Formality | None = None
    priority: Priority = Priority.STANDARD
    webhook: WebhookInput | None = None
    client_meta: JSONScalar | None = None


@strawberry.input
class RetranslateInput:
    asset_id: strawberry.ID
    language_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Omitted: every existing translation of the asset.")
    provider: str | None = None


@strawberry.input
class VoiceOverInput:
    asset_id: strawberry.ID
    language_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Omitted or empty: the template's voice-over languages.")
    clone_voice: bool | None = strawberry.field(default=None, description="Omitted: the template's setting.")
    mute_original_voice: bool | None = strawberry.field(default=None, description="Omitted: the template's setting.")
    priority: Priority = Priority.STANDARD
    webhook: WebhookInput | None = None


@strawberry.enum
class TextInputKind(enum.Enum):
    TEXT = "text"
    DOCUMENT = "document"


@strawberry.input
class TranslateTextInput:
    type: TextInputKind = TextInputKind.TEXT
    content: str | None = None
    url: str | None = strawberry.field(default=None, description="A document: plain text, SRT, WebVTT or DOCX.")
    target_language: str = strawberry.field(description="BCP 47 code or catalog id")
    source_language: str | None = strawberry.field(default=None, description="BCP 47, or auto (detected offline)")
    formality: Formality | None = None
    priority: Priority = Priority.STANDARD
    provider: str | None = None
    webhook: WebhookInput | None = None
    client_meta: JSONScalar | None = None

"""Inputs of translation, text translation, retranslation and voice-over."""
from __future__ import annotations

import strawberry

from schema.common import JSONScalar
from schema.jobs.types import Priority
from schema.transcripts.inputs import WebhookInput
from schema.translation.types import Formality, TextInputKind


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

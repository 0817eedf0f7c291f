"""Payloads of the template, word list and dictionary mutations, and the shared DeletedPayload."""
from __future__ import annotations

import strawberry

from schema.common import UserError
from schema.templates.types import Dictionary, Template, WordList


@strawberry.type
class TemplatePayload:
    errors: list[UserError]

    @strawberry.field
    def template(self) -> Template | None:
        return self.item


@strawberry.type
class WordListPayload:
    errors: list[UserError]

    @strawberry.field
    def word_list(self) -> WordList | None:
        return self.item


@strawberry.type
class DictionaryPayload:
    errors: list[UserError]

    @strawberry.field
    def dictionary(self) -> Dictionary | None:
        return self.item


@strawberry.type
class DeletedPayload:
    errors: list[UserError]

    @strawberry.field
    def deleted_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.deleted_id)) if self.deleted_id else None

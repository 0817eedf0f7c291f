"""Root fields of templates, word lists and dictionaries."""
from __future__ import annotations

import strawberry

from resolvers.templates import mutations, queries
from schema.templates.inputs import DictionaryInput, TemplateInput, WordListInput
from schema.templates.payloads import DeletedPayload, DictionaryPayload, TemplatePayload, WordListPayload
from schema.common import Connection
from schema.idempotency import idempotent_mutation
from schema.templates.types import Dictionary, Template, WordList, WordListKind


@strawberry.type
class TemplateQuery:
    @strawberry.field
    async def template(self, info: strawberry.Info, id: strawberry.ID) -> Template | None:
        return await queries.template(info, id)

    @strawberry.field
    async def templates(self, info: strawberry.Info, first: int | None = 16, after: str | None = None,
                        offset: int = 0) -> Connection[Template]:
        return await queries.templates(info, first, after, offset)

    @strawberry.field
    async def word_list(self, info: strawberry.Info, kind: WordListKind, id: strawberry.ID) -> WordList | None:
        return await queries.word_list(info, kind, id)

    @strawberry.field
    async def word_lists(self, info: strawberry.Info, kind: WordListKind, first: int | None = 16,
                         after: str | None = None, offset: int = 0) -> Connection[WordList]:
        return await queries.word_lists(info, kind, first, after, offset)

    @strawberry.field
    async def dictionary(self, info: strawberry.Info, id: strawberry.ID) -> Dictionary | None:
        return await queries.dictionary(info, id)

    @strawberry.field
    async def dictionaries(self, info: strawberry.Info, first: int | None = 16, after: str | None = None,
                           offset: int = 0) -> Connection[Dictionary]:
        return await queries.dictionaries(info, first, after, offset)


@strawberry.type
class TemplateMutation:
    @idempotent_mutation(description="Create a template (no id) or update one (id).")
    async def save_template(self, info: strawberry.Info, input: TemplateInput) -> TemplatePayload:
        return await mutations.save_template(info, input)

    @strawberry.mutation
    async def delete_template(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_template(info, id)

    @idempotent_mutation(description="Create or update a blacklist (masked in outputs) or whitelist (preferred spellings).")
    async def save_word_list(self, info: strawberry.Info, input: WordListInput) -> WordListPayload:
        return await mutations.save_word_list(info, input)

    @strawberry.mutation
    async def delete_word_list(self, info: strawberry.Info, kind: WordListKind, id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_word_list(info, kind, id)

    @idempotent_mutation(description="Create or update a dictionary of term expansions.")
    async def save_dictionary(self, info: strawberry.Info, input: DictionaryInput) -> DictionaryPayload:
        return await mutations.save_dictionary(info, input)

    @strawberry.mutation
    async def delete_dictionary(self, info: strawberry.Info, id: strawberry.ID) -> DeletedPayload:
        return await mutations.delete_dictionary(info, id)

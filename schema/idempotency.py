"""The `idempotencyKey` argument of create mutations: `@idempotent_mutation` adds it with one field extension."""
from __future__ import annotations

from typing import Optional

import strawberry
from strawberry.annotation import StrawberryAnnotation
from strawberry.extensions.field_extension import FieldExtension
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.field import StrawberryField

from resolvers.payloads import Asked, asking, plain

DESCRIPTION = ("Repeat the same request with the same key within 24 hours (a retry) and it answers as the first "
               "time without doing anything again; the key with another request is IDEMPOTENCY_KEY_REUSED, while "
               "the first is still running IDEMPOTENCY_KEY_IN_USE. 1 to 255 printable ASCII characters; "
               "keys are per tenant.")


class Idempotent(FieldExtension):
    def apply(self, field: StrawberryField) -> None:
        if any(a.python_name == "idempotency_key" for a in field.arguments):
            return  # a schema built twice from the same types
        field.arguments = [*field.arguments, StrawberryArgument(
            python_name="idempotency_key", graphql_name=None, default=None, description=DESCRIPTION,
            type_annotation=StrawberryAnnotation(Optional[str]))]  # noqa: UP007 (strawberry reads the annotation)

    async def resolve_async(self, next_, source, info, **kwargs):
        key = kwargs.pop("idempotency_key", None)
        if key is None:
            return await next_(source, info, **kwargs)
        asked = Asked(key, ("graphql", info.field_name, plain(kwargs)), f"mutation {info.field_name}",
                      ["idempotencyKey"])
        with asking(asked):
            return await next_(source, info, **kwargs)


def idempotent_mutation(resolver=None, **options):
    """`@strawberry.mutation` for a mutation that creates something: it takes `idempotencyKey`."""
    options["extensions"] = [*options.get("extensions", ()), Idempotent()]
    return strawberry.mutation(resolver, **options) if resolver else strawberry.mutation(**options)

"""Schema extension: domain errors get their stable code in `extensions.code`; anything else is masked."""
from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from domain.errors import DomainError

log = logging.getLogger(__name__)


class DomainErrors(SchemaExtension):
    def on_operation(self):
        context = self.execution_context.context
        begin = getattr(context, "begin", None)
        if begin is not None:
            begin()
        try:
            yield
        finally:
            result = self.execution_context.result
            if result is not None and getattr(result, "errors", None):
                result.errors = [_render(error) for error in result.errors]

    async def on_execute(self):
        query = self.execution_context.query or ""
        if _unstorable(self.execution_context.variables) or "\x00" in query or "\\u0000" in query:
            # PostgreSQL text and JSONB cannot hold NUL or lone surrogates: refuse them as input, not at the INSERT.
            raise GraphQLError("text must be valid Unicode without NUL characters",
                               extensions={"code": "VALIDATION_FAILED"})
        try:
            yield
        finally:
            uow = getattr(self.execution_context.context, "uow", None)
            if uow is not None:
                # The request's own transaction only ever reads; mutations commit their own.
                await uow.rollback()
                await uow.close()


def _unstorable(value) -> bool:
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_unstorable(v) for v in value)
    return False


def _render(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None:
        if error.extensions and error.extensions.get("code"):
            return error
        return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path,
                            extensions={**(error.extensions or {}), "code": "GRAPHQL_VALIDATION_FAILED"})
    if isinstance(original, GraphQLError):  # variable coercion (an Int out of range): the caller's mistake
        return GraphQLError(error.message, error.nodes, error.source, error.positions, error.path,
                            extensions={"code": "GRAPHQL_VALIDATION_FAILED"})
    if isinstance(original, DomainError):
        extensions = {"code": original.code.value}
        if original.field:
            extensions["field"] = original.field
        return GraphQLError(original.message, error.nodes, error.source, error.positions, error.path,
                            extensions=extensions)
    log.error("unexpected error in a resolver", exc_info=original)
    return GraphQLError("internal error", error.nodes, error.source, error.positions, error.path,
                        extensions={"code": "INTERNAL"})


def as_graphql_error(error: DomainError) -> GraphQLError:
    extensions = {"code": error.code.value}
    if error.field:
        extensions["field"] = error.field
    return GraphQLError(error.message, extensions=extensions)


def expected(error: GraphQLError) -> bool:
    """Client mistakes (domain errors, validation) are answers, not incidents: they are not logged."""
    return error.original_error is None or isinstance(error.original_error, (DomainError, GraphQLError))

"""What one GraphQL operation may ask for: its cost, its list arguments' lengths and its clientMeta's size.

Cost counts the objects an operation can return: each field with a selection costs its multiplier, and a page
argument (first/last/limit, clamped to MAX_PAGE as the resolvers clamp it) multiplies what is nested under it;
every list item given as input costs one more. All refused before any resolver runs, with VALIDATION_FAILED and
the field's path."""
from __future__ import annotations

import json

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    get_named_type,
    is_input_object_type,
    is_list_type,
    is_non_null_type,
)
from graphql.pyutils import Undefined
from graphql.utilities import value_from_ast_untyped
from strawberry.extensions import SchemaExtension

from domain.assets.service import MAX_PARTS
from domain.pagination import MAX_PAGE, clamp_first
from domain.settings import Settings

PAGE_ARGUMENTS = ("first", "last", "limit")
# Part etags of one upload: as many as its parts, which S3 allows up to 10,000.
LIST_CAPS = {"etags": MAX_PARTS}
DEFAULTS = Settings(data_dir=None, database_url="")


class Refused(Exception):
    def __init__(self, message: str, field: list[str]):
        super().__init__(message)
        self.message, self.field = message, field


class _Walk:
    def __init__(self, schema, fragments: dict, variables: dict, settings):
        self.schema, self.fragments, self.variables = schema, fragments, variables
        self.max_cost, self.max_items = settings.graphql_max_cost, settings.graphql_max_list_items
        self.max_meta = settings.client_meta_max_bytes
        self.cost = 0
        self.items = 0  # list items given in the arguments of the field being walked

    def selections(self, selection_set, parent, multiplier: int, at: list[str], seen: frozenset = frozenset()):
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(selection, parent, multiplier, at, seen)
            elif isinstance(selection, InlineFragmentNode):
                kind = self.schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
                self.selections(selection.selection_set, kind, multiplier, at, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    kind = self.schema.get_type(fragment.type_condition.name.value)
                    self.selections(fragment.selection_set, kind, multiplier, at, seen | {selection.name.value})

    def field(self, node: FieldNode, parent, multiplier: int, at: list[str], seen: frozenset) -> None:
        name = node.name.value
        at = at + [node.alias.value if node.alias else name]
        definition = getattr(parent, "fields", {}).get(name)
        if definition is None:  # __typename and other introspection: free
            return
        given = {argument.name.value: argument for argument in node.arguments or []}
        arguments = {}
        self.items = 0
        for arg_name, arg in definition.args.items():
            if arg_name in given:
                arguments[arg_name] = value_from_ast_untyped(given[arg_name].value, self.variables)
            elif arg.default_value is not Undefined:
                arguments[arg_name] = arg.default_value
            if arguments.get(arg_name) is not None:
                self.inputs(arguments[arg_name], arg.type, [arg_name], name)
        # Each list item given is work asked for (a clip to render, a segment to write).
        self.charge(at, multiplier * (1 + self.items))
        if node.selection_set is None:
            return
        size = next((arguments[a] for a in PAGE_ARGUMENTS if isinstance(arguments.get(a), int)), None)
        if size is None and any(a in definition.args for a in PAGE_ARGUMENTS):
            size = clamp_first(None)  # an explicit null page size: the resolvers' default page
        inner = multiplier * min(max(size, 1), MAX_PAGE) if size is not None else multiplier
        self.selections(node.selection_set, get_named_type(definition.type), inner, at, seen)

    def inputs(self, value, kind, path: list[str], field: str) -> None:
        """Walk an argument by its input type: cap every list, measure clientMeta, count the items."""
        while is_non_null_type(kind):
            kind = kind.of_type
        if path[-1] == "clientMeta":
            size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
            if size > self.max_meta:
                raise Refused(f"{field}: clientMeta is {size} bytes encoded; at most {self.max_meta} are accepted",
                              path)
            return
        if is_list_type(kind):
            items = value if isinstance(value, list) else [value]
            cap = LIST_CAPS.get(path[-1], self.max_items)
            if cap and len(items) > cap:
                raise Refused(f"{field}: {'.'.join(path)} has {len(items)} items; at most {cap} per call", path)
            self.items += len(items)
            for item in items:
                if item is not None:
                    self.inputs(item, kind.of_type, path, field)
            return
        if is_input_object_type(kind) and isinstance(value, dict):
            for key, item in value.items():
                inner = kind.fields.get(key)
                if inner is not None and item is not None:
                    self.inputs(item, inner.type, path + [key], field)

    def charge(self, at: list[str], amount: int) -> None:
        self.cost += amount
        if self.max_cost and self.cost > self.max_cost:
            raise Refused(f"this operation could return about {self.cost} objects (reached at `{'.'.join(at)}`); "
                          f"at most {self.max_cost} are allowed: ask for smaller pages or fewer nested lists", at)


def operation_of(document, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        return next((o for o in operations if o.name and o.name.value == operation_name), None)
    return operations[0] if len(operations) == 1 else None


class CostLimit(SchemaExtension):
    """Refuses an operation whose cost, list lengths or clientMeta exceed the settings, before it runs."""

    async def on_execute(self):
        ctx = self.execution_context
        operation = operation_of(ctx.graphql_document, ctx.operation_name) if ctx.graphql_document else None
        if operation is not None:
            state = getattr(ctx.context, "state", None)
            settings = getattr(state, "settings", None) or DEFAULTS
            schema = ctx.schema._schema
            root = schema.get_root_type(operation.operation)
            fragments = {d.name.value: d for d in ctx.graphql_document.definitions
                         if isinstance(d, FragmentDefinitionNode)}
            try:
                _Walk(schema, fragments, ctx.variables or {}, settings).selections(operation.selection_set, root, 1, [])
            except Refused as refused:
                raise GraphQLError(refused.message,
                                   extensions={"code": "VALIDATION_FAILED", "field": refused.field}) from None
        yield

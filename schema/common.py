"""Shared GraphQL pieces: Node, UserError, ErrorCode, PageInfo and the Connection every list returns, JSON."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Generic, TypeVar

import dateutil.parser
import strawberry
from strawberry.scalars import JSON

from domain.db import rfc3339
from domain.errors import ErrorCode as DomainErrorCode

ErrorCode = strawberry.enum(DomainErrorCode, name="ErrorCode")
JSONScalar = JSON


def utc_timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with milliseconds and `Z`, as MetaVision's document prints them (2024-03-20T10:00:00.000Z).

    Every dialect reads this one form; those whose documents print whole seconds trim it (rest_compat/table.py).
    """
    return rfc3339(value)


def _parse_timestamp(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"DateTime must be an RFC 3339 string, not {value!r}")
    parsed = dateutil.parser.isoparse(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


# Replaces strawberry's isoformat DateTime for the whole schema (schema/__init__.py `scalar_map`).
DateTime = strawberry.scalar(name="DateTime", serialize=utc_timestamp, parse_value=_parse_timestamp,
                             description="A UTC timestamp, RFC 3339 with milliseconds and Z: 2024-03-20T10:00:00.000Z")


@strawberry.interface(description="An object with a UUID shared with the REST dialects.")
class Node:
    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.id))


def model_check(model):
    """is_type_of for types whose roots are ORM rows or domain objects of `model`."""

    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, model)

    return classmethod(is_type_of)


@strawberry.type
class UserError:
    field: list[str] | None = strawberry.field(description='Path to the offending input, e.g. ["input", "etags", "1"].')
    code: ErrorCode
    message: str


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


T = TypeVar("T")


@strawberry.type
class Edge(Generic[T]):
    """One row of a list and its cursor; `Edge[Template]` is named `TemplateEdge` in the schema."""
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    """Every GraphQL list pages this one way (resolvers/payloads.py `connection`): `first`/`after` cursors, and an
    `offset` where a REST row pages by number; `Connection[Template]` is named `TemplateConnection`."""
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

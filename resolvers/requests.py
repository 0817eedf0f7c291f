"""GraphQL inputs as the domain takes them: a request dataclass built by keyword, or the dict a `save` reads."""
from __future__ import annotations

import dataclasses
import enum
from typing import Any, TypeVar

import strawberry

Request = TypeVar("Request")


def plain(value: Any) -> Any:
    """A GraphQL value as the domain takes it: enums by value, nested inputs as dicts, lists item by item."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return data_of(value)
    return value


def data_of(input_object, *, exclude: tuple[str, ...] = ()) -> dict:
    """The input's fields for a domain `save`, by name, made `plain`.

    The one None rule: `strawberry.UNSET` means "not given" and the field is dropped; None is kept. Our save inputs
    declare `= None` for every optional field (the printed schema shows `= null`), so "left out" and "null" both
    arrive as None and every `save` reads None as "leave as it is"; a reference is cleared through its documented
    empty value instead (`""` for `subtitleStyleId`).
    """
    values = {f.name: getattr(input_object, f.name) for f in dataclasses.fields(input_object) if f.name not in exclude}
    return {name: plain(value) for name, value in values.items() if value is not strawberry.UNSET}


def request_from(input_object, request_class: type[Request], /, *, skip: tuple[str, ...] = (),
                 **overrides: Any) -> Request:
    """`request_class(...)` by keyword: each input field goes to the request field of the same name (made `plain`),
    `overrides` replace the ones the resolver converts itself, request fields the input lacks keep their defaults.

    An input field the request does not have (and `skip` does not name) or an override of an unknown field raises
    TypeError, so a renamed field fails the first test that builds the request instead of being dropped silently.
    """
    accepted = {f.name for f in dataclasses.fields(request_class) if f.init}
    given = {f.name for f in dataclasses.fields(input_object)} - set(skip)
    unknown = sorted((given | set(overrides)) - accepted)
    if unknown:
        raise TypeError(f"{request_class.__name__} has no field {', '.join(unknown)} "
                        f"(from {type(input_object).__name__})")
    values = {name: plain(getattr(input_object, name)) for name in given - set(overrides)}
    values = {name: value for name, value in values.items() if value is not strawberry.UNSET}
    return request_class(**values, **overrides)


def webhook_of(input_object) -> dict | None:
    """The input's `webhook` (if any) as the job stores it: the URL and its headers."""
    hook = getattr(input_object, "webhook", None)
    return {"url": hook.url, "headers": hook.headers or {}} if hook else None

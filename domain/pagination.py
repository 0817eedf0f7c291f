"""Opaque keyset cursors over (created_at, id) and the page shape every list returns."""
from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from domain.errors import ValidationFailed

T = TypeVar("T")
MAX_PAGE = 100


@dataclass(frozen=True)
class Cursor:
    created_at: datetime
    id: uuid.UUID


def encode_cursor(created_at: datetime, ident: uuid.UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(ident)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str | None) -> Cursor | None:
    if not value:
        return None
    try:
        padded = value + "=" * (-len(value) % 4)
        created, ident = json.loads(base64.urlsafe_b64decode(padded))
        return Cursor(datetime.fromisoformat(created), uuid.UUID(ident))
    except Exception as exc:
        raise ValidationFailed("after is not a valid cursor", field=["after"]) from exc


def clamp_first(first: int | None, default: int = 20) -> int:
    if first is None:
        return default
    if first < 0:
        raise ValidationFailed("first must not be negative", field=["first"])
    return min(first, MAX_PAGE)


def slice_page(items: list, first: int | None, after: str | None, default: int = 20, offset: int = 0) -> Page:
    """A page of a list already loaded newest first (an object's nested list, batched by a dataloader)."""
    total = len(items)
    cursor = decode_cursor(after)
    if cursor:
        items = [i for i in items if (i.created_at, i.id) < (cursor.created_at, cursor.id)]
    items = items[offset:]  # after the cursor, as the SQL pages (assets, jobs) apply it
    size = clamp_first(first, default)
    return Page(items[:size], len(items) > size, total)


@dataclass
class Page(Generic[T]):
    items: list[T]
    has_next: bool
    total: int

    @property
    def end_cursor(self) -> str | None:
        if not self.items:
            return None
        last = self.items[-1]
        return encode_cursor(last.created_at, last.id)

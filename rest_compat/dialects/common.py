"""Pieces the dialect tables share: GraphQL fragments, enum casing, paging."""
from __future__ import annotations

import msgspec

ASSET_FIELDS = """id filename externalId status mode durationMs createdAt languageId collectionId templateId
  media { container bitrate width height frameRate videoCodec } thumbnail { url } waveform { url } original { size }"""
TRACK_FIELDS = "id index codec language channels sampleRate durationMs source file { url contentType size }"
JOB_FIELDS = """id kind status stage progress provider priority input options clientMeta resultData createdAt
  processedAt completedAt error { code message } asset { id }"""


def lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


class Page(msgspec.Struct, forbid_unknown_fields=False):
    page: int = 1
    items: int = 16

    def __post_init__(self):
        if self.page < 1:
            raise msgspec.ValidationError("page must be at least 1 - at `$.page`")
        if not 1 <= self.items <= 100:
            raise msgspec.ValidationError("items must be between 1 and 100 - at `$.items`")


def page_variables(call) -> dict:
    query = call.query
    return {"first": query.items, "offset": (query.page - 1) * query.items}


def sliced(items: list, query) -> list:
    start = (query.page - 1) * query.items
    return items[start:start + query.items]

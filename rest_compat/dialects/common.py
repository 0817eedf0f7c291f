"""Pieces the dialect tables share: GraphQL fragments, name casing, comma lists, paging."""
from __future__ import annotations

import msgspec

ASSET_FIELDS = """id filename externalId status mode durationMs createdAt languageId collectionId templateId
  media { container bitrate width height frameRate videoCodec } thumbnail { url } waveform { url } original { size }"""
TRACK_FIELDS = "id index codec language channels sampleRate durationMs source file { url contentType size }"
JOB_FIELDS = """id kind status stage progress provider priority input options clientMeta resultData createdAt
  processedAt completedAt error { code message } asset { id }"""
ERRORS = "errors { field code message }"


def lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


def given_fields(body, names) -> dict:
    """The named body fields the client set, under their GraphQL (camelCase) names."""
    return {camel(n): getattr(body, n) for n in names if getattr(body, n, None) is not None}


def comma_list(value: list[str] | str | None, *, positional: bool = False) -> list[str] | None:
    """A list, or one comma-separated string (MediaCopilot clients send either), as stripped items.

    Blank items are dropped and nothing left is None. `positional` keeps every item in its place (upload ETags are
    matched to parts by position, so a blank one must stay for the error to name its part).
    """
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else value
    if positional:
        return [item.strip() for item in items]
    return [item.strip() for item in items if item and item.strip()] or None


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


def connection_list(view):
    """The REST list `{data, page, items, total}` of a GraphQL connection asked with `page_variables`."""
    return lambda conn, call: {"data": [view(edge["node"]) for edge in conn["edges"]], "page": call.query.page,
                               "items": call.query.items, "total": conn["totalCount"]}


def sliced(items: list, query) -> list:
    start = (query.page - 1) * query.items
    return items[start:start + query.items]

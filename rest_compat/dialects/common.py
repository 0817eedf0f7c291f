"""Pieces the dialect tables share: GraphQL fragments, name casing, comma lists, paging."""
from __future__ import annotations

from typing import Annotated

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


def any_case(*choices: str):
    """A string documented as lowercase `choices` (one enum member per value in a generated client); the struct's
    `__post_init__` accepts any case through `folded`."""
    return Annotated[str, msgspec.Meta(extra_json_schema={"enum": list(choices)})]


def folded(value: str | None, name: str, *choices: str) -> str | None:
    if value is None:
        return None
    if value.lower() not in choices:
        raise msgspec.ValidationError(f"Expected one of {', '.join(choices)} (any case) - at `$.{name}`")
    return value.lower()


def documented(**schema) -> msgspec.Meta:
    """JSON Schema for a rule the server checks past decoding (a `__post_init__`, the service layer) with its own
    message: declared so generated clients and fuzzers know it (tests/e2e/test_openapi_constraints.py keeps the
    declaration and the check together)."""
    return msgspec.Meta(extra_json_schema=schema)


# What the guarded downloader takes: http(s) with a host name.
URL = documented(format="uri", pattern=r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,4})?(/[!-~]*)?$")


# Extra HTTP headers a caller may have sent (webhooks, media fetches): at most 20, names RFC 9110 tokens, values on
# one line; which names are reserved (Host, hop-by-hop, webhook-*) is the operation's prose.
Headers = Annotated[dict[str, Annotated[str, documented(pattern=r"^[^\r\n]*$")]],
                    documented(maxProperties=20, propertyNames={"pattern": r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"})]
# A name the service strips and takes at 1 to 200 characters; a file name, at most 255.
Name = Annotated[str, documented(pattern=r"\S", maxLength=200)]
FileName = Annotated[str, documented(pattern=r"\S", maxLength=255)]
# A list, or one comma-separated string, naming at least one item (blank items are dropped; nothing left is refused).
Names = (Annotated[list[Annotated[str, documented(pattern=r"\S")]], documented(minItems=1)]
         | Annotated[str, documented(pattern=r"[^,\s]")])
MAX_PAGE = 21474837  # (page - 1) * items stays a GraphQL Int (32 bits) at 100 items


class Page(msgspec.Struct, forbid_unknown_fields=False):
    page: Annotated[int, documented(minimum=1, maximum=MAX_PAGE)] = 1
    items: Annotated[int, documented(minimum=1, maximum=100)] = 16

    def __post_init__(self):
        if self.page < 1:
            raise msgspec.ValidationError("page must be at least 1 - at `$.page`")
        if self.page > MAX_PAGE:
            raise msgspec.ValidationError(f"page must be at most {MAX_PAGE} - at `$.page`")
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

"""MediaCopilot natural-language search: `POST /v1/nl_search` over GraphQL `search`."""
from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from rest_compat.dialects.common import lower
from rest_compat.table import Route

HIT = "assetId startMs endMs text score source transcriptionId metadataId field language"


class NLSearch(msgspec.Struct, forbid_unknown_fields=True):
    query: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    asset_id: str | None = None
    max_results: Annotated[int, msgspec.Meta(ge=1, le=50)] = 10


class Hit(msgspec.Struct):
    asset_id: str
    start_ms: int
    end_ms: int
    text: str
    score: float
    source: Literal["speech", "on_screen_text", "metadata"]
    transcription_id: str | None
    metadata_id: str | None
    field: str | None
    language: str | None


class Hits(msgspec.Struct):
    data: list[Hit]
    total: int


def hit(h: dict) -> dict:
    return {"asset_id": h["assetId"], "start_ms": h["startMs"], "end_ms": h["endMs"], "text": h["text"],
            "score": h["score"], "source": lower(h["source"]), "transcription_id": h["transcriptionId"],
            "metadata_id": h["metadataId"], "field": h["field"], "language": h["language"]}


ROUTES = [
    Route("POST", "/v1/nl_search", f"""query($q: String!, $a: ID, $n: Int!) {{
            search(query: $q, assetId: $a, maxResults: $n) {{ {HIT} }} }}""",
          "search", lambda hits, call: {"data": [hit(h) for h in hits], "total": len(hits)},
          {"q": "body.query", "a": "body.asset_id", "n": "body.max_results"}, body=NLSearch, response=Hits,
          summary="Moments that answer a question in your own words, best first (text marks matched words "
                  "with <mark>)"),
]

"""Search hits and the search enums."""
from __future__ import annotations

import enum

import strawberry


@strawberry.enum(description="Where a hit's text comes from.")
class SearchSource(enum.Enum):
    SPEECH = "speech"
    ON_SCREEN_TEXT = "on_screen_text"
    METADATA = "metadata"


@strawberry.enum(description="HYBRID fuses full-text and semantic rankings (Reciprocal Rank Fusion); the other two "
                             "rank by one alone.")
class SearchMode(enum.Enum):
    HYBRID = "hybrid"
    FULL_TEXT = "full_text"
    SEMANTIC = "semantic"


@strawberry.type(description="One moment of an asset that answers a search: its time span, a snippet with the "
                             "matched words in <mark>, the fused score (higher is better) and where it came from.")
class SearchHit:
    asset_id: strawberry.ID
    start_ms: int
    end_ms: int
    text: str
    score: float
    source: SearchSource
    transcription_id: strawberry.ID | None = strawberry.field(description="Speech: the transcript.")
    metadata_id: strawberry.ID | None = strawberry.field(
        description="On-screen text and metadata: the asset's metadata analysis item, once analysed.")
    field: str | None = strawberry.field(description="Metadata: filename, topics, summary or entities.")
    language: str | None = strawberry.field(description="Speech: the transcript's language.")

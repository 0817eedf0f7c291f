"""Root field of natural-language search."""
from __future__ import annotations

import strawberry

from resolvers.search import queries
from schema.search.types import SearchHit, SearchMode


@strawberry.type
class SearchQuery:
    @strawberry.field(description="Moments that answer a question in your own words, best first: transcript "
                                  "windows, on-screen text and asset metadata, ranked by full-text and semantic "
                                  "similarity together (the semantic half is English-only). `assetId` scopes to one "
                                  "asset; `maxResults` is 1 to 50 (10 by default).")
    async def search(self, info: strawberry.Info, query: str, asset_id: strawberry.ID | None = None,
                     max_results: int = 10, mode: SearchMode = SearchMode.HYBRID) -> list[SearchHit]:
        return await queries.search(info, query, asset_id, max_results, mode)

"""Inputs of asset queries and mutations."""
from __future__ import annotations

import strawberry

from schema.assets.types import AssetStatus, ProcessingMode


@strawberry.input
class AssetFilter:
    collection_id: strawberry.ID | None = None
    language_id: strawberry.ID | None = None
    status: AssetStatus | None = None
    search: str | None = None
    sentiment: str | None = strawberry.field(default=None, description="positive, neutral or negative")
    classification: str | None = strawberry.field(default=None, description="EBU content genre, e.g. 3.1.1 News")
    entities: list[str] | None = strawberry.field(default=None, description="every one must be among the asset's")


@strawberry.input
class CreateAssetInput:
    filename: str
    external_id: str | None = None
    language_id: strawberry.ID | None = None
    collection_id: strawberry.ID | None = None
    template_id: strawberry.ID | None = None
    mode: ProcessingMode = ProcessingMode.NORMAL


@strawberry.input
class StartUploadInput:
    asset_id: strawberry.ID
    parts: int = 1


@strawberry.input
class FinishUploadInput:
    asset_id: strawberry.ID
    etags: list[str]


@strawberry.input
class DeleteAssetInput:
    id: strawberry.ID

"""Inputs of asset queries and mutations."""
from __future__ import annotations

from typing import NewType

import strawberry

from schema.assets.types import AssetStatus, ProcessingMode


def _byte_size(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not (str(value).isascii() and str(value).isdigit()):
        raise ValueError("a byte size is a whole number of bytes, 0 or more")
    return int(value)


# GraphQL's Int stops at 2 GiB; files do not.
ByteSize = strawberry.scalar(NewType("ByteSize", int), serialize=int, parse_value=_byte_size,
                             description="A number of bytes (64-bit; an integer or a string of digits)")


@strawberry.input
class AssetFilter:
    collection_id: strawberry.ID | None = None
    language_id: strawberry.ID | None = None
    status: AssetStatus | None = None
    search: str | None = None
    sentiment: str | None = strawberry.field(default=None, description="positive, neutral or negative")
    classification: str | None = strawberry.field(
        default=None, description="EBU content genre by code (3.1.1, narrower genres included), label (News) or both")
    entities: list[str] | None = strawberry.field(default=None, description="every one must be among the asset's")
    speakers: list[str] | None = strawberry.field(
        default=None, description="speaker names, labels or ids: every one must be among the asset's speakers")


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
    size: ByteSize | None = strawberry.field(
        default=None, description="the file's total bytes: the parts must add up to it; required under a storage quota")


@strawberry.input
class FinishUploadInput:
    asset_id: strawberry.ID
    etags: list[str]


@strawberry.input
class DeleteAssetInput:
    id: strawberry.ID

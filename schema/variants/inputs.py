"""Inputs of generation mutations."""
from __future__ import annotations

import strawberry


@strawberry.input(description="A box in relative units (0..1) of the frame: x + width <= 1, y + height <= 1.")
class BoundingBoxInput:
    x: float
    y: float
    width: float
    height: float


@strawberry.input(description="Variants of a timeline range (timeline seconds, inside one segment).")
class GenerateVariantsInput:
    project_id: strawberry.ID
    prompt: str
    start_ts: float
    end_ts: float
    bounding_box: BoundingBoxInput | None = strawberry.field(
        default=None, description="Where to edit; the whole frame when left out.")
    provider: str | None = strawberry.field(
        default=None, description="`local` or `remote`; by default local when the prompt names a region edit, "
                                  "else the remote provider when one is configured.")


@strawberry.input
class AcceptVariantInput:
    variant_id: strawberry.ID

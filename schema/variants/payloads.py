"""Payloads of generation mutations."""
from __future__ import annotations

from typing import Annotated

import strawberry

from schema.common import UserError
from schema.variants.types import GenerationJob, Variant

LazySegment = Annotated["TimelineSegment", strawberry.lazy("schema.editor.types")]


@strawberry.type
class GenerateVariantsPayload:
    job: GenerationJob | None
    errors: list[UserError]


@strawberry.type
class AcceptVariantPayload:
    variant: Variant | None
    segment: LazySegment | None  # the variant's segment on the timeline
    errors: list[UserError]

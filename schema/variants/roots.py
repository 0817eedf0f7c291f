"""Root fields of generation: ask for variants, read generation jobs, accept and score variants, AI health and the
log of AI operations."""
from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.variants import mutations, queries
from schema.idempotency import idempotent_mutation
from schema.variants.inputs import AcceptVariantInput, GenerateVariantsInput
from schema.variants.payloads import AcceptVariantPayload, GenerateVariantsPayload
from schema.variants.types import AiHealth, GenerationJob, Variant, VariantScore

LazyJobConnection = Annotated["JobConnection", strawberry.lazy("schema.jobs.types")]


@strawberry.type
class VariantQuery:
    @strawberry.field(description="Any job of the tenant except exports, in the editor's terms, with its variants.")
    async def generation_job(self, info: strawberry.Info, id: strawberry.ID) -> GenerationJob | None:
        return await queries.generation_job(info, id)

    @strawberry.field
    async def variant(self, info: strawberry.Info, variant_id: strawberry.ID) -> Variant | None:
        return await queries.variant(info, variant_id)

    @strawberry.field(description="Score a variant against the prompt (default) or the original range. `method` "
                                  "`local` asks for the local measures even where a vision-language model is set.")
    async def variant_score(self, info: strawberry.Info, variant_id: strawberry.ID, compare_to: str = "prompt",
                            method: str | None = None) -> VariantScore:
        return await queries.variant_score(info, variant_id, compare_to, method)

    @strawberry.field(description="Generation and scoring providers: configured and reachable (checked with a short "
                                  "timeout, cached briefly).")
    async def ai_health(self, info: strawberry.Info) -> AiHealth:
        return await queries.ai_health(info)

    @strawberry.field(description="The tenant's AI operations (region edits, colour grades), newest first.")
    async def ai_timeline(self, info: strawberry.Info, first: int | None = 20,
                          after: str | None = None) -> LazyJobConnection:
        return await queries.ai_timeline(info, first, after)


@strawberry.type
class VariantMutation:
    @idempotent_mutation(description="Queue a region_edit job: 2-3 variants of a timeline range, different "
                                     "strengths (local) or the remote provider's answers.")
    async def generate_variants(self, info: strawberry.Info, input: GenerateVariantsInput) -> GenerateVariantsPayload:
        return await mutations.generate_variants(info, input)

    @strawberry.mutation(description="Put a variant on the timeline over its range (the segment is split around it).")
    async def accept_variant(self, info: strawberry.Info, input: AcceptVariantInput) -> AcceptVariantPayload:
        return await mutations.accept_variant(info, input.variant_id)

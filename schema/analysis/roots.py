"""Root fields of media analysis: results, MetaVision catalog and usage, analyse and delete."""
from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.analysis import mutations, queries
from schema.analysis.inputs import AnalyzeMediaInput, AnalyzeVideoInput
from schema.analysis.payloads import DeleteAnalysisItemPayload
from schema.analysis.types import (AnalysisBalance, AnalysisCatalog, AnalysisItem, AnalysisItemKind, AnalysisPrices,
                                   AnalysisRequest)
from schema.common import Connection, JSONScalar
from schema.idempotency import idempotent_mutation
from schema.jobs.types import JobKind
from schema.jobs.payloads import JobPayload


@strawberry.type
class AnalysisQuery:
    @strawberry.field(description="The asset pipeline's analysis results of one kind, in time order.")
    async def analysis_items(self, info: strawberry.Info, asset_id: strawberry.ID,
                             kind: AnalysisItemKind) -> list[AnalysisItem]:
        return await queries.items(info, asset_id, kind)

    @strawberry.field
    async def analysis_item(self, info: strawberry.Info, asset_id: strawberry.ID, kind: AnalysisItemKind,
                            id: strawberry.ID) -> AnalysisItem | None:
        return await queries.item(info, asset_id, kind, id)

    @strawberry.field(description="MetaVision's analysis categories and models, marking what needs a vision model.")
    def analysis_categories(self, info: strawberry.Info) -> AnalysisCatalog:
        return queries.categories(info)

    @strawberry.field(description="Prices per media type and quality profile, and the billing rule.")
    def analysis_prices(self, info: strawberry.Info) -> AnalysisPrices:
        return queries.prices(info)

    @strawberry.field(description="Usage of media analysis: overall, today, week, month, per media type, a range.")
    async def analysis_balance(self, info: strawberry.Info,
                               since: Annotated[str | None, strawberry.argument(name="from")] = None,
                               until: Annotated[str | None, strawberry.argument(name="to")] = None
                               ) -> AnalysisBalance:
        return await queries.balance(info, since, until)

    @strawberry.field(description="Past media-analysis requests, newest first; `status` (success, partial, failed) "
                                  "and `mediaType` filter them, `from`/`to` are days (YYYY-MM-DD).")
    async def analysis_requests(self, info: strawberry.Info, first: int | None = None, after: str | None = None,
                                offset: int = 0, status: str | None = None, media_type: str | None = None,
                                since: Annotated[str | None, strawberry.argument(name="from")] = None,
                                until: Annotated[str | None, strawberry.argument(name="to")] = None
                                ) -> Connection[AnalysisRequest]:
        return await queries.requests(info, first, after, offset, status, media_type, since, until)

    @strawberry.field(description="A completed transcription, text-translation or video-analysis job's result as one "
                                  "self-contained document, times in seconds, with a signed `download_url` for a "
                                  "transcript (in the job's format) or a translated document: what the AI Gateway's "
                                  "`/result` and webhook events show (an SRT/VTT transcript's text also in `content`). "
                                  "Null until the job has completed; `kind` refuses a job of another kind.")
    async def job_result_document(self, info: strawberry.Info, job_id: strawberry.ID,
                                  kind: JobKind | None = None) -> JSONScalar | None:
        return await queries.result_document(info, job_id, kind)


@strawberry.type
class AnalysisMutation:
    @idempotent_mutation(description="Analyse a video (an asset or a URL): scenes, faces, OCR, moderation, speech, "
                                     "sentiment, topics, summary; one decode feeds every frame analyser.")
    async def analyze_video(self, info: strawberry.Info, input: AnalyzeVideoInput) -> JobPayload:
        return await mutations.analyze_video(info, input)

    @strawberry.mutation(description="Delete one analysis result (a wrong sound description, a face to forget).")
    async def delete_analysis_item(self, info: strawberry.Info, asset_id: strawberry.ID, kind: AnalysisItemKind,
                                   id: strawberry.ID) -> DeleteAnalysisItemPayload:
        return await mutations.delete_item(info, asset_id, kind, id)

    @idempotent_mutation(description="MetaVision analysis of a URL or base64 media: optimizing, transcribing, "
                                     "analyzing; categories answered by the local agent (or a vision model).")
    async def analyze_media(self, info: strawberry.Info, input: AnalyzeMediaInput) -> JobPayload:
        return await mutations.analyze_media(info, input)

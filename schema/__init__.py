"""The one strawberry schema Mediagraph serves over GraphQL and, through rest_compat, over REST."""
from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from resolvers.errors import DomainErrors, expected
from resolvers.sockets import SocketBudget
from schema.analysis.roots import AnalysisMutation, AnalysisQuery
from schema.assets.roots import AssetMutation, AssetQuery
from schema.brandings.roots import BrandingMutation, BrandingQuery
from schema.catalog.roots import CatalogMutation, CatalogQuery
from schema.usage.roots import UsageQuery
from schema.clips.roots import ClipMutation, ClipQuery
from schema.common import DateTime
from schema.cost import CostLimit
from schema.editor.roots import EditorMutation, EditorQuery
from schema.variants.roots import VariantMutation, VariantQuery
from schema.jobs.roots import JobMutation, JobQuery, JobSubscription
from schema.keys.roots import KeyMutation
from schema.nodes.roots import NodeQuery
from schema.pitch.roots import PitchMutation, PitchQuery
from schema.platform.roots import PlatformQuery
from schema.providers.roots import ProviderQuery
from schema.search.roots import SearchQuery
from schema.templates.roots import TemplateMutation, TemplateQuery
from schema.timeline_exports.roots import TimelineExportMutation, TimelineExportQuery
from schema.transcripts.roots import TranscriptMutation, TranscriptQuery
from schema.translation.roots import TranslationMutation, TranslationQuery
from schema.webhooks.roots import WebhookMutation

MAX_DEPTH = 10
MAX_TOKENS = 4000
MAX_ALIASES = 30

# The order of the areas is the order of the fields in introspection and the printed schema.
Query = merge_types("Query", (PlatformQuery, AssetQuery, TranscriptQuery, TemplateQuery, JobQuery, ProviderQuery,
                              PitchQuery, AnalysisQuery, TranslationQuery, BrandingQuery, ClipQuery, NodeQuery,
                              SearchQuery, EditorQuery, VariantQuery, TimelineExportQuery, CatalogQuery, UsageQuery))
Mutation = merge_types("Mutation", (AssetMutation, TranscriptMutation, TranslationMutation, PitchMutation,
                                    AnalysisMutation, WebhookMutation, TemplateMutation, JobMutation,
                                    BrandingMutation, ClipMutation, KeyMutation, EditorMutation,
                                    VariantMutation, TimelineExportMutation, CatalogMutation))
Subscription = merge_types("Subscription", (JobSubscription,))


class MediagraphSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        unexpected = [error for error in errors if not expected(error)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


schema = MediagraphSchema(
    query=Query,
    # Timestamps: UTC, milliseconds, Z, in every type (schema/common.py DateTime).
    config=StrawberryConfig(scalar_map={datetime: DateTime}),
    mutation=Mutation,
    subscription=Subscription,
    extensions=[
        DomainErrors,
        QueryDepthLimiter(max_depth=MAX_DEPTH),
        MaxTokensLimiter(max_token_count=MAX_TOKENS),
        MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        # Cost, list lengths and clientMeta size (GRAPHQL_MAX_COST, GRAPHQL_MAX_LIST_ITEMS, CLIENT_META_MAX_BYTES).
        CostLimit,
        SocketBudget,
        # REST rows send the same documents over and over: parse and validate each once.
        ParserCache(maxsize=512),
        ValidationCache(maxsize=512),
    ],
)

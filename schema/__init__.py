"""The one strawberry schema Mediagraph serves over GraphQL and, through rest_compat, over REST."""
from __future__ import annotations

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.tools import merge_types

from resolvers.errors import DomainErrors, expected
from resolvers.sockets import SocketBudget
from schema.cost import CostLimit
from schema.keys.types import KeyMutation
from schema.roots import Mutation, Query, Subscription

MAX_DEPTH = 10
MAX_TOKENS = 4000
MAX_ALIASES = 30



class MediagraphSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        unexpected = [error for error in errors if not expected(error)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


schema = MediagraphSchema(
    query=Query,
    mutation=merge_types("Mutation", (Mutation, KeyMutation)),
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

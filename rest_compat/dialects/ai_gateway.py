"""AI Gateway (`/v1/transcriptions|translations|video-analyses|providers`): JSON:API-style envelopes."""
from __future__ import annotations

from typing import Literal

import msgspec

from rest_compat.dialects import ai_gateway_analyses, ai_gateway_transcriptions, ai_gateway_translations
from rest_compat.table import Dialect, Problem, Route

RESOURCE_NAMES = {"VIDEO_ANALYSES": "video-analyses", "LANGUAGE_MODEL": "language-model"}


class ErrorBody(msgspec.Struct):
    code: str
    message: str


class Error(msgspec.Struct):
    error: ErrorBody


class Capabilities(msgspec.Struct):
    features: list[str]


class ProviderAttributes(msgspec.Struct):
    name: str
    resources: dict[str, Capabilities]


class Provider(msgspec.Struct):
    id: str
    type: Literal["provider"]
    attributes: ProviderAttributes


class ProviderList(msgspec.Struct):
    data: list[Provider]


def render_error(problem: Problem) -> dict:
    return {"error": {"code": problem.code, "message": problem.message}}


def providers(items: list, call) -> dict:
    return {"data": [
        {"id": p["id"], "type": "provider", "attributes": {"name": p["name"], "resources": {
            RESOURCE_NAMES.get(r["type"], r["type"].lower()): {"features": r["features"]} for r in p["resources"]}}}
        for p in items
    ]}


ROUTES = [
    Route("GET", "/v1/providers", "{ providers { id name resources { type features } } }", "providers", providers,
          response=ProviderList, summary="Configured providers and the features each supports"),
]

DIALECT = Dialect(
    name="ai_gateway", title="AI Gateway", description="AI Gateway API (transcription, translation, video analysis jobs).",
    prefixes=(r"^/v1/(transcriptions|translations|video-analyses|providers)(/|$)",), routes=ROUTES + ai_gateway_transcriptions.ROUTES + ai_gateway_translations.ROUTES
    + ai_gateway_analyses.ROUTES,
    render_error=render_error, error_schema=Error,
)

"""AI Gateway (`/v1/transcriptions|translations|video-analyses|providers`): JSON:API-style envelopes."""
from __future__ import annotations

from typing import Literal

import msgspec

from rest_compat.dialects import ai_gateway_analyses, ai_gateway_transcriptions, ai_gateway_translations
from rest_compat.table import Dialect, Problem, Route

RESOURCE_NAMES = {"VIDEO_ANALYSES": "video-analyses", "LANGUAGE_MODEL": "language-model"}
# The resource keys and feature names the document defines (its Feature enums); anything else a provider offers
# is listed under the resource's `meta.extensions`, so a client reading the documented enums meets no surprise.
DOCUMENTED = {
    "transcriptions": ("language_detection", "diarization", "timestamps"),
    "translations": ("language_detection", "formality"),
    "video-analyses": ("labels", "scenes", "faces", "speech_to_text", "ocr", "content_moderation", "sentiment",
                       "topics", "brands", "summary"),
}


class ErrorBody(msgspec.Struct):
    code: str
    message: str


class Error(msgspec.Struct):
    error: ErrorBody


class Capabilities(msgspec.Struct):
    features: list[str]


class ProviderResources(msgspec.Struct, omit_defaults=True):
    transcriptions: Capabilities | None = None
    translations: Capabilities | None = None
    video_analyses: Capabilities | None = msgspec.field(default=None, name="video-analyses")


class ProviderAttributes(msgspec.Struct):
    name: str
    resources: ProviderResources


class ProviderExtensions(msgspec.Struct):
    """Mediagraph's additions, outside the document: other resources, and more features of documented ones."""
    resources: dict[str, Capabilities]
    features: dict[str, list[str]]


class ProviderMeta(msgspec.Struct):
    extensions: ProviderExtensions


class Provider(msgspec.Struct, kw_only=True):
    id: str
    type: Literal["provider"]
    attributes: ProviderAttributes
    meta: ProviderMeta | None = None  # only when the provider offers more than the document names


class ProviderList(msgspec.Struct):
    data: list[Provider]


def render_error(problem: Problem) -> dict:
    return {"error": {"code": problem.code, "message": problem.message}}


def _provider(p: dict) -> dict:
    documented, extra_resources, extra_features = {}, {}, {}
    for r in p["resources"]:
        key = RESOURCE_NAMES.get(r["type"], r["type"].lower())
        if key not in DOCUMENTED:
            extra_resources[key] = {"features": r["features"]}
            continue
        documented[key] = {"features": [f for f in r["features"] if f in DOCUMENTED[key]]}
        others = [f for f in r["features"] if f not in DOCUMENTED[key]]
        if others:
            extra_features[key] = others
    body = {"id": p["id"], "type": "provider", "attributes": {"name": p["name"], "resources": documented}}
    if extra_resources or extra_features:
        body["meta"] = {"extensions": {"resources": extra_resources, "features": extra_features}}
    return body


def providers(items: list, call) -> dict:
    return {"data": [_provider(p) for p in items]}


ROUTES = [
    Route("GET", "/v1/providers", "{ providers { id name resources { type features } } }", "providers", providers,
          response=ProviderList, summary="Configured providers and the features each supports"),
]

DIALECT = Dialect(
    name="ai_gateway", title="AI Gateway", description="AI Gateway API (transcription, translation, video analysis jobs).",
    prefixes=(r"^/v1/(transcriptions|translations|video-analyses|providers)(/|$)",), routes=ROUTES + ai_gateway_transcriptions.ROUTES + ai_gateway_translations.ROUTES
    + ai_gateway_analyses.ROUTES,
    render_error=render_error, error_schema=Error,
    # Its document prints whole-second timestamps; its attribute schemas are closed (README "Unknown body keys").
    timestamps="seconds", unknown_fields="reject",
)

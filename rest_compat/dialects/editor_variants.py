"""Editor dialect rows for AI generation: generate, generation jobs, variant accept/score, AI health and timeline."""
from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from rest_compat.dialects.common import ERRORS, documented, lower
from rest_compat.dialects.editor_segments import SEGMENT, Segment, segment_view
from rest_compat.table import Route

VARIANT = "id url previewUrl operation strength provider startTs endTs acceptedAt"
JOB = f"id projectId kind status error errorCode progress stage prompt operation provider variants {{ {VARIANT} }}"
Relative = Annotated[float, documented(minimum=0, maximum=1)]
Seconds = Annotated[float, documented(minimum=0)]


class Box(msgspec.Struct):
    x: Relative
    y: Relative
    width: Relative
    height: Relative


class GenerateBody(msgspec.Struct):
    project_id: str
    prompt: Annotated[str, documented(pattern=r"\S", maxLength=2000)]
    start_ts: Seconds
    end_ts: Seconds
    bounding_box: Box | None = None
    # Beyond the document: pin the provider (`local` or `remote`); by default the prompt decides.
    provider: str | None = None


class VariantOut(msgspec.Struct):
    id: str
    url: str | None
    preview_url: str | None
    operation: str
    strength: float | None
    provider: str
    start_ts: float
    end_ts: float
    accepted_at: str | None


class JobOut(msgspec.Struct):
    id: str
    project_id: str | None
    status: Literal["pending", "running", "completed", "failed"]
    error: str | None
    variants: list[VariantOut]
    kind: str
    progress: int
    stage: str | None
    prompt: str | None
    operation: str | None
    provider: str | None


class Accepted(msgspec.Struct):
    variant_id: str
    accepted: bool
    segment: Segment


class ScoreQuery(msgspec.Struct):
    compare_to: Literal["prompt", "original"] = "prompt"
    # Beyond the document: `local` asks for the local measures even where a vision-language model is configured.
    method: Literal["local", "auto"] | None = None


class Score(msgspec.Struct):
    overall_rating: str
    details: str
    fidelity_to_prompt: str
    visual_quality: str


class Scored(msgspec.Struct):
    variant_id: str
    score: Score
    compare_to: str
    method: str


class Provider(msgspec.Struct):
    id: str
    name: str
    role: str
    configured: bool
    reachable: bool
    operations: list[str]
    detail: str


class AiHealth(msgspec.Struct):
    status: str
    providers: list[Provider]


class TimelineQuery(msgspec.Struct):
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 50


class Operation(msgspec.Struct):
    id: str
    kind: str
    status: str
    project_id: str | None
    prompt: str | None
    operation: str | None
    provider: str | None
    progress: int
    error: str | None
    created_at: str
    completed_at: str | None


class AiTimeline(msgspec.Struct):
    operations: list[Operation]


def variant_view(v: dict) -> dict:
    return {"id": v["id"], "url": v["url"], "preview_url": v["previewUrl"], "operation": v["operation"],
            "strength": v["strength"], "provider": v["provider"], "start_ts": v["startTs"], "end_ts": v["endTs"],
            "accepted_at": v["acceptedAt"]}


def job_view(j: dict, call=None) -> dict:
    return {"id": j["id"], "project_id": j["projectId"], "status": lower(j["status"]), "error": j["error"],
            "variants": [variant_view(v) for v in j["variants"]], "kind": j["kind"], "progress": j["progress"],
            "stage": j["stage"], "prompt": j["prompt"], "operation": j["operation"], "provider": j["provider"]}


def accepted_view(v: dict, call) -> dict:
    return {"variant_id": v["variant"]["id"], "accepted": True, "segment": segment_view(v["segment"])}


def scored_view(v: dict, call) -> dict:
    return {"variant_id": v["variantId"], "compare_to": v["compareTo"], "method": v["method"],
            "score": {k: v[c] for k, c in (("overall_rating", "overallRating"), ("details", "details"),
                                          ("fidelity_to_prompt", "fidelityToPrompt"),
                                          ("visual_quality", "visualQuality"))}}


def operation_view(job: dict) -> dict:
    data = job.get("input") or {}
    return {"id": job["id"], "kind": lower(job["kind"]), "status": lower(job["status"]),
            "project_id": data.get("project_id"), "prompt": data.get("prompt"), "operation": data.get("operation"),
            "provider": job["provider"], "progress": job["progress"], "error": (job.get("error") or {}).get("message"),
            "created_at": job["createdAt"], "completed_at": job["completedAt"]}


def _generate_input(call) -> dict:
    body, box = call.body, call.body.bounding_box
    return {"input": {"projectId": body.project_id, "prompt": body.prompt, "startTs": body.start_ts,
                      "endTs": body.end_ts, "provider": body.provider,
                      "boundingBox": None if box is None else msgspec.structs.asdict(box)}}


def _score_vars(call) -> dict:
    return {"id": call.path["variant_id"], "compareTo": call.query.compare_to, "method": call.query.method}


ROUTES = [
    Route("POST", "/api/ai/generate", f"mutation($input: GenerateVariantsInput!) {{ generateVariants(input: $input) "
          f"{{ job {{ {JOB} }} {ERRORS} }} }}", "generateVariants", lambda v, c: job_view(v["job"]), _generate_input,
          body=GenerateBody, response=JobOut, status=202, payload=True,
          summary="Queue a region_edit job: 2-3 variants of a timeline range (poll GET /api/job/{id})"),
    Route("GET", "/api/job/{job_id}", f"query($id: ID!) {{ generationJob(id: $id) {{ {JOB} }} }}", "generationJob",
          job_view, {"id": "path.job_id"}, response=JobOut,
          summary="A generation (or any other non-export) job with its variants"),
    Route("POST", "/api/variant/{variant_id}/accept", "mutation($input: AcceptVariantInput!) { acceptVariant(input: "
          f"$input) {{ variant {{ id }} segment {{ {SEGMENT} }} {ERRORS} }} }}", "acceptVariant", accepted_view,
          lambda c: {"input": {"variantId": c.path["variant_id"]}}, response=Accepted, payload=True,
          summary="Put the variant on the timeline over its range (the segment is split around it)"),
    Route("GET", "/api/variant/{variant_id}/score", "query($id: ID!, $compareTo: String!, $method: String) { "
          "variantScore(variantId: $id, compareTo: $compareTo, method: $method) { variantId compareTo method "
          "overallRating details fidelityToPrompt visualQuality } }", "variantScore", scored_view, _score_vars,
          query=ScoreQuery, response=Scored,
          summary="Score against the prompt (default) or the original range; `method` says what scored it"),
    Route("GET", "/api/ai/health", "{ aiHealth { status providers { id name role configured reachable operations "
          "detail } } }", "aiHealth", lambda v, c: v, response=AiHealth,
          summary="Generation and scoring providers: configured, reachable"),
    Route("GET", "/api/ai/timeline", "query($first: Int) { aiTimeline(first: $first) { edges { node { id kind status "
          "provider progress input createdAt completedAt error { message } } } } }", "aiTimeline",
          lambda v, c: {"operations": [operation_view(e["node"]) for e in v["edges"]]},
          lambda c: {"first": c.query.limit}, query=TimelineQuery, response=AiTimeline,
          summary="Recent AI operations (region edits, colour grades), newest first"),
]

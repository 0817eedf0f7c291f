"""AI Gateway (`/v1/transcriptions|translations|video-analyses|providers`): JSON:API-style envelopes."""
from __future__ import annotations

from typing import Literal

import msgspec

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


# ---------------------------------------------------------------- job envelopes (JSON:API style)
STATUS_OUT = {"QUEUED": "pending", "RUNNING": "processing", "COMPLETED": "completed", "FAILED": "failed",
              "CANCELLED": "failed"}


class Meta(msgspec.Struct):
    client: dict | None = None


def request_envelope(name: str, type_name: str, attributes: type) -> type:
    """`{"data": {"type": <type_name>, "attributes": {...}, "meta": {"client": {...}}}}`; another type is a 422."""
    data = msgspec.defstruct(f"{name}Data", [("type", Literal[type_name]), ("attributes", attributes),
                                             ("meta", Meta, msgspec.field(default_factory=Meta))],
                             forbid_unknown_fields=True)
    return msgspec.defstruct(f"{name}Request", [("data", data)], forbid_unknown_fields=True)


class JobError(msgspec.Struct):
    code: str
    message: str


class JobAttributes(msgspec.Struct):
    provider: str | None
    status: Literal["pending", "processing", "completed", "failed"]
    progress: int
    error: JobError | None
    created_at: str
    processed_at: str | None
    completed_at: str | None
    input: dict
    options: dict
    result: dict | None


class JobMeta(msgspec.Struct):
    client: dict | None
    system: dict


class JobResource(msgspec.Struct):
    id: str
    type: str
    attributes: JobAttributes
    meta: JobMeta


class JobDocument(msgspec.Struct):
    data: JobResource


def job_document(job: dict, type_name: str, result: dict | None = None) -> dict:
    """A job as the gateway shows it; `meta.client` is the caller's own, returned unchanged."""
    error = job.get("error")
    if job["status"] == "CANCELLED":
        error = {"code": "CANCELLED", "message": (error or {}).get("message") or "cancelled by request"}
    return {"data": {
        "id": job["id"], "type": type_name,
        "attributes": {
            "provider": job.get("provider"), "status": STATUS_OUT[job["status"]], "progress": job["progress"],
            "error": {"code": error["code"], "message": error["message"]} if error else None,
            "created_at": job["createdAt"], "processed_at": job.get("processedAt"),
            "completed_at": job.get("completedAt"), "input": job.get("input") or {},
            "options": job.get("options") or {}, "result": result if job["status"] == "COMPLETED" else None,
        },
        "meta": {"client": job.get("clientMeta"), "system": {"kind": job["kind"].lower(), "stage": job.get("stage"),
                                                            "priority": (job.get("priority") or "STANDARD").lower()}},
    }}


def result_or_not_ready(job: dict, render) -> dict | Problem:
    """`/result` answers 404 RESULT_NOT_READY until the job has completed."""
    if job["status"] != "COMPLETED":
        return Problem(404, "RESULT_NOT_READY", f"job {job['id']} is {STATUS_OUT[job['status']]}; no result yet")
    return render(job)


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
    prefixes=(r"^/v1/(transcriptions|translations|video-analyses|providers)(/|$)",), routes=ROUTES,
    render_error=render_error, error_schema=Error,
)

"""JSON:API-style job envelopes of the AI Gateway: request type checking, the job document, RESULT_NOT_READY."""
from __future__ import annotations

from typing import Literal

import msgspec

from rest_compat.table import Problem

STATUS_OUT = {"QUEUED": "pending", "RUNNING": "processing", "COMPLETED": "completed", "FAILED": "failed",
              "CANCELLED": "failed"}


class Meta(msgspec.Struct):
    client: dict | None = None


class JsonApiObject(msgspec.Struct):
    """JSON:API's top-level `jsonapi` member (version, ext, profile, meta), accepted and not acted on."""
    version: str | None = None
    ext: list[str] | None = None
    profile: list[str] | None = None
    meta: dict | None = None


def request_envelope(name: str, type_name: str, attributes: type) -> type:
    """`{"data": {"type": <type_name>, "attributes": {...}, "meta": {"client": {...}}}}`; another type is a 422.

    The members JSON:API allows around that are accepted too: top-level `jsonapi`, `links` and `meta`, and the
    resource's `id` and `links`. The job's id is always the gateway's own (a client-chosen `data.id` is not kept)."""
    data = msgspec.defstruct(f"{name}Data", [("type", Literal[type_name]), ("attributes", attributes),
                                             ("meta", Meta, msgspec.field(default_factory=Meta)),
                                             ("id", str | None, None), ("links", dict | None, None)],
                             forbid_unknown_fields=True)
    return msgspec.defstruct(f"{name}Request", [("data", data), ("jsonapi", JsonApiObject | None, None),
                                                ("links", dict | None, None), ("meta", dict | None, None)],
                             forbid_unknown_fields=True)


class JobError(msgspec.Struct):
    code: str
    message: str


class JobAttributes(msgspec.Struct, kw_only=True):
    provider: str | None
    status: Literal["pending", "processing", "completed", "failed"]
    progress: int
    error: JobError | None = None  # present only when status is failed
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


def documented_options(job: dict, names: tuple[str, ...]) -> dict:
    """The job's options the document lists for its kind, `priority` among them (kept in its own column)."""
    options = job.get("options") or {}
    out = {name: options[name] for name in names if name in options}
    out["priority"] = (job.get("priority") or "STANDARD").lower()
    return out


def job_document(job: dict, type_name: str, result: dict | None = None, options: tuple[str, ...] | None = None) -> dict:
    """A job as the gateway shows it; `meta.client` is the caller's own, returned unchanged. `error` is there only
    when the job failed, as the document says; `options` are the documented ones when `options` names them."""
    error = job.get("error")
    if job["status"] == "CANCELLED":
        error = {"code": "CANCELLED", "message": (error or {}).get("message") or "cancelled by request"}
    attributes = {
        "provider": job.get("provider"), "status": STATUS_OUT[job["status"]], "progress": job["progress"],
        "created_at": job["createdAt"], "processed_at": job.get("processedAt"),
        "completed_at": job.get("completedAt"), "input": job.get("input") or {},
        "options": documented_options(job, options) if options is not None else job.get("options") or {},
        "result": result if job["status"] == "COMPLETED" else None,
    }
    if error and STATUS_OUT[job["status"]] == "failed":
        attributes["error"] = {"code": error["code"], "message": error["message"]}
    return {"data": {
        "id": job["id"], "type": type_name,
        "attributes": attributes,
        "meta": {"client": job.get("clientMeta"), "system": {"kind": job["kind"].lower(), "stage": job.get("stage"),
                                                            "priority": (job.get("priority") or "STANDARD").lower()}},
    }}


def result_or_not_ready(job: dict, render) -> dict | Problem:
    """`/result` answers 404 RESULT_NOT_READY until the job has completed."""
    if job["status"] != "COMPLETED":
        return Problem(404, "RESULT_NOT_READY", f"job {job['id']} is {STATUS_OUT[job['status']]}; no result yet")
    return render(job)

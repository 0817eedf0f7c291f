"""MetaVision (`/api/v1/analyze|jobs|account`): 202 + polling, `{"error", "code"}` with its own error table."""
from __future__ import annotations

from typing import Literal

import msgspec

from domain.errors import ErrorCode
from rest_compat.table import Dialect, Problem, Route

CODES = {400: "invalid_request", 401: "invalid_api_key", 403: "account_disabled", 404: "not_found",
         413: "invalid_request", 429: "rate_limited", 500: "internal_error"}
JobStatus = Literal["queued", "optimizing", "transcribing", "analyzing", "completed", "failed", "cancelled"]


class Error(msgspec.Struct):
    error: str
    code: str


class Job(msgspec.Struct):
    job_id: str
    status: JobStatus
    created_at: str
    error: str | None = None
    meta: dict | None = None
    data: dict | None = None
    pipeline_info: dict | None = None
    pipeline_assets: dict | None = None


class Cancelled(msgspec.Struct):
    success: bool
    job_id: str
    status: Literal["cancelled"]


def render_error(problem: Problem) -> dict:
    code = "invalid_categories" if problem.code == "INVALID_CATEGORIES" else CODES.get(problem.status, "invalid_request")
    return {"error": problem.message, "code": code}


def status_of(job: dict) -> str:
    """MetaVision reports the running job's stage as its status."""
    if job["status"] == "RUNNING":
        return job["stage"] if job["stage"] in {"optimizing", "transcribing", "analyzing"} else "optimizing"
    return job["status"].lower()


def job_view(job: dict, call) -> dict:
    body = {"job_id": job["id"], "status": status_of(job), "created_at": job["createdAt"]}
    if job["status"] == "FAILED" and job["error"]:
        body["error"] = job["error"]["message"]
    result = job.get("resultData") or {}
    if job["status"] == "COMPLETED":
        for key in ("meta", "data", "pipeline_info", "pipeline_assets"):
            body[key] = result.get(key)
    return body


ROUTES = [
    Route("GET", "/api/v1/jobs/{job_id}", """query($id: ID!) { job(id: $id, kind: MEDIA_ANALYSIS) {
            id status stage createdAt resultData error { code message } } }""",
          "job", job_view, {"id": "path.job_id"}, response=Job, summary="Poll an analysis job"),
    Route("POST", "/api/v1/account/requests/{request_id}/cancel",
          """mutation($id: ID!) { cancelJob(input: {id: $id, kind: MEDIA_ANALYSIS}) {
            job { id status } errors { field code message } } }""",
          "cancelJob", lambda v, c: {"success": True, "job_id": v["job"]["id"], "status": "cancelled"},
          {"id": "path.request_id"}, response=Cancelled, payload=True, summary="Cancel a queued job"),
]

DIALECT = Dialect(
    name="metavision", title="MetaVision", description="MetaVision multi-modal analysis API.",
    prefixes=(r"^/api/v1/(analyze|jobs|account)(/|$)",), routes=ROUTES, render_error=render_error, error_schema=Error,
    status_overrides={ErrorCode.VALIDATION_FAILED: 400, ErrorCode.CONFLICT: 400, ErrorCode.NO_PROVIDER: 400,
                      ErrorCode.UNSUPPORTED_LANGUAGE: 400},
    rate_limit_per_minute=60, max_body=5 * 1024 * 1024, error_statuses=(400, 401, 404, 413),
)

"""MetaVision (`/api/v1/analyze|jobs|account`): 202 + polling, `{"error", "code"}` with its own error table."""
from __future__ import annotations

import re
from typing import Annotated, Literal

import msgspec

from domain.errors import ErrorCode
from rest_compat.dialects.common import MAX_PAGE, URL, Headers, documented
from rest_compat.table import Dialect, Problem, Route

CODES = {400: "invalid_request", 401: "invalid_api_key", 403: "account_disabled", 404: "not_found",
         413: "invalid_request", 429: "rate_limited", 500: "internal_error"}
PRECISE = {ErrorCode.NO_LANGUAGE_MODEL: "no_language_model"}  # not in the document's table, so a client can tell
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


class Auth(msgspec.Struct, forbid_unknown_fields=True):
    cookies_txt: str | None = None
    cookie_string: str | None = None
    headers: Headers | None = None


class Analyze(msgspec.Struct, forbid_unknown_fields=True):
    media_type: Annotated[str, documented(enum=["image", "video", "audio"])]
    media: Annotated[str, URL] | None = None
    media_base64: str | None = None
    categories: list[str] | None = None
    custom_category: str | None = None
    system_prompt: Annotated[str, documented(pattern=r"\{\{CATEGORY_PROMPT\}\}")] | None = None
    model: Annotated[str, documented(format="uuid")] | None = None
    detail: Annotated[str, documented(enum=["low", "balanced", "high", "ultra"])] = "balanced"
    transcribe: bool = False
    transcribe_diarize: bool = False
    transcribe_align: bool = False
    auth: Auth | None = None


class Submitted(msgspec.Struct):
    job_id: str
    status: JobStatus
    created_at: str
    poll_url: str


class Range(msgspec.Struct):
    from_: Annotated[str, documented(format="date")] | None = msgspec.field(default=None, name="from")
    to: Annotated[str, documented(format="date")] | None = None


class RequestsQuery(msgspec.Struct):
    page: Annotated[int, documented(minimum=1, maximum=MAX_PAGE)] = 1
    limit: Annotated[int, documented(minimum=1, maximum=100)] = 50
    status: Literal["all", "success", "partial", "failed"] = "all"
    media_type: Literal["all", "image", "video", "audio"] = "all"
    from_: Annotated[str, documented(format="date")] | None = msgspec.field(default=None, name="from")
    to: Annotated[str, documented(format="date")] | None = None

    def __post_init__(self):  # GraphQL's `first` is clamped silently; MetaVision refuses, with these messages
        if not 1 <= self.limit <= 100:
            raise msgspec.ValidationError("limit must be between 1 and 100")
        if self.page < 1:
            raise msgspec.ValidationError("page must be at least 1")


class RequestRow(msgspec.Struct):
    request_id: str
    status: str
    media_type: str | None
    categories: str  # a JSON-encoded list, as the document prints it: "[\"title\",\"description\"]"
    quality_profile: str | None
    billed_amount: float
    execution_time: float | None
    successful_categories: int
    failed_categories: int
    tokens_in: int
    tokens_out: int
    agent_name: str | None
    created_at: str


class RequestList(msgspec.Struct):
    requests: list[RequestRow]
    total: int
    page: int
    limit: int


class UsageStats(msgspec.Struct):
    total_requests: int
    total_success: int
    total_failed: int
    total_billed: float


class UsageByType(msgspec.Struct):
    media_type: str
    request_count: int
    success_count: int
    failed_count: int
    total_billed: float


class UsageRange(UsageStats):
    from_: Annotated[str, documented(format="date")] | None = msgspec.field(default=None, name="from")
    to: Annotated[str, documented(format="date")] | None = None


class AccountBalance(msgspec.Struct):
    api_key_prefix: str
    description: str
    overall: UsageStats
    today: UsageStats
    week: UsageStats
    month: UsageStats
    breakdown_by_type: list[UsageByType]
    custom_range: UsageRange | None


class QualityProfileRow(msgspec.Struct):
    id: str
    name: str
    billing_multiplier: int


class PriceList(msgspec.Struct):
    price_per_image: float
    price_per_video: float
    price_per_audio: float
    quality_profiles: list[QualityProfileRow]
    billing_note: str


class RequestDetail(msgspec.Struct):
    request_id: str
    status: JobStatus
    media_type: str | None
    agent_name: str | None
    categories: list[str]
    quality_profile: str | None
    created_at: str
    meta: dict | None = None
    data: dict | None = None
    pipeline_info: dict | None = None
    pipeline_assets: dict | None = None
    error: str | None = None


def render_error(problem: Problem) -> dict:
    if problem.code == "INVALID_CATEGORIES" or (problem.field and problem.field[-1] == "categories"):
        return {"error": problem.message, "code": "invalid_categories"}
    code = PRECISE.get(problem.code) or CODES.get(problem.status, "invalid_request")
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
        for key in ("meta", "data", "pipeline_info"):
            body[key] = result.get(key)
        body["pipeline_assets"] = job.get("pipelineAssets") or {}
    return body


def request_detail(job: dict, call) -> dict:
    body = job_view(job, call)
    spec, options = job.get("input") or {}, job.get("options") or {}
    out = {"request_id": body.pop("job_id"), "status": body.pop("status"), "media_type": spec.get("media_type"),
           "agent_name": options.get("model_name"), "categories": spec.get("categories") or [],
           "quality_profile": options.get("detail"), **body}
    if out.get("meta"):
        meta = out["meta"]
        out["meta"] = {"execution_time": meta["execution_time"], "tokens_in": meta["total_tokens_in"],
                       "tokens_out": meta["total_tokens_out"], "billed_amount": meta["estimated_cost"],
                       "successful_categories": meta["successful_categories"],
                       "failed_categories": meta["failed_categories"]}
    return out


JOB_FIELDS = "id status stage createdAt input options resultData pipelineAssets error { code message }"
REQUEST_FIELDS = """requestId status mediaType categories qualityProfile billedAmount executionTime successfulCategories
  failedCategories tokensIn tokensOut agentName createdAt"""
USAGE_FIELDS = "totalRequests totalSuccess totalFailed totalBilled"
_UPPER = re.compile(r"(?<=[a-z0-9])([A-Z])")


def snake(value):
    """GraphQL's camelCase names as MetaVision's snake_case, in the order the operation selected them."""
    if isinstance(value, dict):
        return {_UPPER.sub(r"_\1", key).lower(): snake(item) for key, item in value.items()}
    if isinstance(value, list):
        return [snake(item) for item in value]
    return value


def _usage(stats: dict | None) -> dict | None:
    """Nothing billed reads as the integer 0 there (the domain's sum of no rows), which GraphQL's Float made 0.0."""
    return None if stats is None else {**snake(stats), "total_billed": stats["totalBilled"] or 0}


def balance_view(v: dict, call) -> dict:
    body = snake(v)
    for period in ("overall", "today", "week", "month"):
        body[period] = _usage(v[period])
    body["breakdown_by_type"] = [_usage(row) for row in v["breakdownByType"]]
    body["custom_range"] = _usage(v["customRange"])
    return body


def requests_view(conn: dict, call) -> dict:
    rows = [{**snake(e["node"]), "categories": msgspec.json.encode(e["node"]["categories"]).decode()} for e in conn["edges"]]
    return {"requests": rows, "total": conn["totalCount"], "page": call.query.page, "limit": call.query.limit}


def _analyze_vars(call) -> dict:
    b = call.body
    auth = msgspec.to_builtins(b.auth) if b.auth is not None else None
    return {"input": {"mediaType": b.media_type, "media": b.media, "mediaBase64": b.media_base64,
                      "categories": b.categories, "customCategory": b.custom_category, "systemPrompt": b.system_prompt,
                      "model": b.model, "detail": b.detail, "transcribe": b.transcribe,
                      "transcribeDiarize": b.transcribe_diarize, "transcribeAlign": b.transcribe_align, "auth": auth}}


ROUTES = [
    Route("POST", "/api/v1/analyze", """mutation($input: AnalyzeMediaInput!) { analyzeMedia(input: $input) {
            job { id status stage createdAt } errors { field code message } } }""",
          "analyzeMedia", lambda v, c: {"job_id": v["job"]["id"], "status": "queued", "created_at": v["job"]["createdAt"],
                                        "poll_url": f"/api/v1/jobs/{v['job']['id']}"},
          _analyze_vars, body=Analyze, response=Submitted, status=202, payload=True,
          summary="Submit media (URL or base64) and categories; poll /api/v1/jobs/{job_id}"),
    Route("GET", "/api/v1/jobs/{job_id}", f"query($id: ID!) {{ job(id: $id, kind: MEDIA_ANALYSIS) {{ {JOB_FIELDS} }} }}",
          "job", job_view, {"id": "path.job_id"}, response=Job, summary="Poll an analysis job"),
    Route("GET", "/api/v1/account/requests/{request_id}",
          f"query($id: ID!) {{ job(id: $id, kind: MEDIA_ANALYSIS) {{ {JOB_FIELDS} }} }}", "job", request_detail,
          {"id": "path.request_id"}, response=RequestDetail, summary="One request with its full result"),
    Route("GET", "/api/v1/account/requests", f"""query($first: Int!, $offset: Int!, $status: String, $type: String,
            $from: String, $to: String) {{ analysisRequests(first: $first, offset: $offset, status: $status,
            mediaType: $type, from: $from, to: $to) {{ totalCount edges {{ node {{ {REQUEST_FIELDS} }} }} }} }}""",
          "analysisRequests", requests_view,
          lambda c: {"first": c.query.limit, "offset": (c.query.page - 1) * c.query.limit, "status": c.query.status,
                     "type": c.query.media_type, "from": c.query.from_, "to": c.query.to},
          query=RequestsQuery, response=RequestList, summary="Past requests, newest first (limit at most 100)"),
    Route("GET", "/api/v1/account/balance", f"""query($from: String, $to: String) {{
            analysisBalance(from: $from, to: $to) {{ apiKeyPrefix description overall {{ {USAGE_FIELDS} }}
            today {{ {USAGE_FIELDS} }} week {{ {USAGE_FIELDS} }} month {{ {USAGE_FIELDS} }}
            breakdownByType {{ mediaType requestCount successCount failedCount totalBilled }}
            customRange {{ from to {USAGE_FIELDS} }} }} }}""", "analysisBalance", balance_view,
          lambda c: {"from": c.query.from_, "to": c.query.to}, query=Range, response=AccountBalance,
          summary="Usage: overall, today, week, month, per media type, and a custom from/to range"),
    Route("GET", "/api/v1/account/prices", """{ analysisPrices { pricePerImage pricePerVideo pricePerAudio
            qualityProfiles { id name billingMultiplier } billingNote } }""", "analysisPrices",
          lambda v, c: snake(v), response=PriceList,
          summary="Prices per media type, quality profiles and the billing rule"),
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
                      ErrorCode.UNSUPPORTED_LANGUAGE: 400, ErrorCode.NO_LANGUAGE_MODEL: 400},
    rate_limit_per_minute=60, max_body=5 * 1024 * 1024, error_statuses=(400, 401, 404, 413),
)

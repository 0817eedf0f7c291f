"""MediaPitch (`/api/v1/audios|submissions|tasks`): `{"data": ...}` bodies, Laravel-style errors, 60 req/min."""
from __future__ import annotations

from typing import Literal

import msgspec

from domain.errors import ErrorCode
from rest_compat.table import Dialect, Problem, Route

STATUS_OUT = {"QUEUED": "pending", "RUNNING": "processing", "COMPLETED": "done", "FAILED": "failed",
              "CANCELLED": "cancelled"}
STATUS_IN = {v: k for k, v in STATUS_OUT.items()}
TaskStatus = Literal["pending", "processing", "done", "failed", "cancelled"]


class Error(msgspec.Struct):
    message: str
    errors: dict[str, list[str]] | None = None


class Task(msgspec.Struct):
    id: str
    type: str | None
    status: TaskStatus
    created_at: str


class Meta(msgspec.Struct):
    current_page: int
    per_page: int
    total: int


class TaskList(msgspec.Struct):
    data: list[Task]
    meta: Meta


class TaskQuery(msgspec.Struct):
    status: TaskStatus | None = None
    type: str | None = None
    per_page: int = 15
    page: int = 1

    def __post_init__(self):
        if not 1 <= self.per_page <= 100:
            raise msgspec.ValidationError("per_page must be between 1 and 100 - at `$.per_page`")
        if self.page < 1:
            raise msgspec.ValidationError("page must be at least 1 - at `$.page`")


def render_error(problem: Problem) -> dict:
    body = {"message": problem.message}
    if problem.code == ErrorCode.VALIDATION_FAILED.value or problem.status == 422:
        name = ".".join(p for p in (problem.field or []) if p not in ("input",)) or "request"
        body["errors"] = {name: [problem.message]}
    return body


def task(job: dict) -> dict:
    return {"id": job["id"], "type": job["label"], "status": STATUS_OUT[job["status"]], "created_at": job["createdAt"]}


def task_list(conn: dict, call) -> dict:
    q = call.query
    return {"data": [task(e["node"]) for e in conn["edges"]],
            "meta": {"current_page": q.page, "per_page": q.per_page, "total": conn["totalCount"]}}


def _task_vars(call) -> dict:
    q = call.query
    values = {"first": q.per_page, "offset": (q.page - 1) * q.per_page, "label": q.type}
    if q.status:
        values["statuses"] = [STATUS_IN[q.status]]
    return values


ROUTES = [
    Route("GET", "/api/v1/tasks", """query($first: Int, $offset: Int!, $statuses: [JobStatus!], $label: String) {
            jobs(first: $first, offset: $offset, kinds: [SUBMISSION], statuses: $statuses, label: $label) {
              totalCount edges { node { id label status createdAt } } } }""",
          "jobs", task_list, _task_vars, query=TaskQuery, response=TaskList, summary="The user's tasks, paginated"),
]

DIALECT = Dialect(
    name="mediapitch", title="MediaPitch", description="MediaPitch API: audio submissions, tasks and results.",
    prefixes=(r"^/api/v1/(audios|submissions|tasks)(/|$)",), routes=ROUTES, render_error=render_error,
    error_schema=Error, rate_limit_per_minute=60, error_statuses=(400, 401, 403, 404, 413, 422),
)

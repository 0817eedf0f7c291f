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


class AudioForm(msgspec.Struct):
    name: str | None = None


class AudioData(msgspec.Struct):
    id: str
    name: str
    url: str | None
    duration: float | None
    size: int | None


class AudioCreated(msgspec.Struct):
    data: AudioData


class CreateSubmission(msgspec.Struct, forbid_unknown_fields=True):
    audio_name: str
    services: list[str]
    audio_url: str | None = None
    audio_id: str | int | None = None
    audio_language: str | None = None
    context: str | None = None
    target_language: str | None = None


class SubmissionBrief(msgspec.Struct):
    id: str
    audio_name: str
    services: list[str]
    status: TaskStatus


class TaskBrief(msgspec.Struct):
    id: str
    status: TaskStatus
    type: str | None


class SubmissionCreatedData(msgspec.Struct):
    submission: SubmissionBrief
    task: TaskBrief


class SubmissionCreated(msgspec.Struct):
    data: SubmissionCreatedData


class TaskDetail(msgspec.Struct):
    id: str
    type: str | None
    status: TaskStatus
    result: dict | list | None
    created_at: str


class SubmissionDetailData(msgspec.Struct):
    id: str
    audio_name: str
    context: str | None
    services: list[str]
    audio_language: str | None
    tasks: list[TaskDetail]


class SubmissionDetail(msgspec.Struct):
    data: SubmissionDetailData


class TaskResult(msgspec.Struct, forbid_unknown_fields=True):
    status: str
    result: list | dict | None = None
    result_id: int | None = None
    zip: str | None = None


class TaskReported(msgspec.Struct):
    task_id: str
    status: TaskStatus


class TaskReportedData(msgspec.Struct):
    data: TaskReported


def render_error(problem: Problem) -> dict:
    body = {"message": problem.message}
    if problem.code == ErrorCode.VALIDATION_FAILED.value or problem.status == 422:
        name = ".".join(p for p in (problem.field or []) if p not in ("input",)) or "request"
        body["errors"] = {name: [problem.message]}
    return body


def task(job: dict) -> dict:
    return {"id": job["id"], "type": job["label"], "status": STATUS_OUT[job["status"]], "created_at": job["createdAt"]}


def audio(payload: dict, call=None) -> dict:
    a = payload["asset"]
    original = a.get("original") or {}
    return {"data": {"id": a["id"], "name": a["filename"], "url": original.get("url"),
                     "duration": round(a["durationMs"] / 1000, 2) if a.get("durationMs") is not None else None,
                     "size": original.get("size")}}


def created_submission(payload: dict, call=None) -> dict:
    sub, job = payload["submission"], payload["task"]
    status = STATUS_OUT[job["status"]]
    return {"data": {"submission": {"id": sub["id"], "audio_name": sub["audioName"], "services": sub["services"],
                                    "status": status},
                     "task": {"id": job["id"], "status": status, "type": job["label"]}}}


def task_detail(job: dict) -> dict:
    return {"id": job["id"], "type": job["label"], "status": STATUS_OUT[job["status"]], "result": job["resultData"],
            "created_at": job["createdAt"]}


def submission_detail(sub: dict, call=None) -> dict:
    return {"data": {"id": sub["id"], "audio_name": sub["audioName"], "context": sub["context"],
                     "services": sub["services"], "audio_language": sub["language"],
                     "tasks": [task_detail(t) for t in sub["tasks"]]}}


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


TASK_FIELDS = "id label status resultData createdAt"
SUBMISSION_FIELDS = f"id audioName context services language tasks {{ {TASK_FIELDS} }}"


def _submission_vars(call) -> dict:
    b = call.body
    return {"input": {"audioName": b.audio_name, "services": b.services, "audioUrl": b.audio_url,
                      "audioId": str(b.audio_id) if b.audio_id is not None else None,
                      "audioLanguage": b.audio_language, "context": b.context, "targetLanguage": b.target_language}}


def _result_vars(call) -> dict:
    b = call.body
    return {"input": {"taskId": call.path["task"], "status": b.status, "result": b.result, "resultId": b.result_id,
                      "zip": b.zip}}


ROUTES = [
    Route("POST", "/api/v1/audios", """mutation($input: UploadAudioInput!) { uploadAudio(input: $input) {
            asset { id filename durationMs original { size url } } errors { field code message } } }""",
          "uploadAudio", audio, lambda c: {"input": {"file": c.files["audio"], "name": c.body.name}},
          body=AudioForm, files=("audio",), response=AudioCreated, status=201, payload=True,
          max_body=26 * 1024 * 1024 + 64 * 1024,
          summary="Upload an audio (multipart `audio`, optional `name`): at most 25 MB; mp3, wav, m4a, aac, flac, ogg"),
    Route("POST", "/api/v1/submissions", f"""mutation($input: CreateSubmissionInput!) {{ createSubmission(input: $input) {{
            submission {{ id audioName services }} task {{ id label status }} errors {{ field code message }} }} }}""",
          "createSubmission", created_submission, _submission_vars, body=CreateSubmission, response=SubmissionCreated,
          status=201, payload=True, summary="Submit an audio (audio_id or audio_url) for services; one task runs them"),
    Route("GET", "/api/v1/submissions/{submission}", f"query($id: ID!) {{ submission(id: $id) {{ {SUBMISSION_FIELDS} }} }}",
          "submission", submission_detail, {"id": "path.submission"}, response=SubmissionDetail,
          summary="A submission with its tasks and their results"),
    Route("POST", "/api/v1/tasks/{task}/results", """mutation($input: TaskResultInput!) { submitTaskResult(input: $input) {
            job { id status } errors { field code message } } }""",
          "submitTaskResult", lambda v, c: {"data": {"task_id": v["job"]["id"], "status": STATUS_OUT[v["job"]["status"]]}},
          _result_vars, body=TaskResult, response=TaskReportedData, payload=True,
          summary="A processing worker reports a task's result; completed notifies the user and settles credits"),
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

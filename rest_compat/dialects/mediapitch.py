"""MediaPitch (`/api/v1/audios|submissions|tasks`): `{"data": ...}` bodies, Laravel-style errors, 60 req/min."""
from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from domain.errors import ErrorCode
from rest_compat.dialects.common import MAX_PAGE, documented
from rest_compat.table import Dialect, Problem, Route

STATUS_OUT = {"QUEUED": "pending", "RUNNING": "processing", "COMPLETED": "done", "FAILED": "failed",
              "CANCELLED": "cancelled"}
STATUS_IN = {v: k for k, v in STATUS_OUT.items()}
TaskStatus = Literal["pending", "processing", "done", "failed", "cancelled"]


class Error(msgspec.Struct):
    message: str
    errors: dict[str, list[str]] | None = None


class Task(msgspec.Struct):
    id: int
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
    per_page: Annotated[int, documented(minimum=1, maximum=100)] = 15
    page: Annotated[int, documented(minimum=1, maximum=MAX_PAGE)] = 1

    def __post_init__(self):
        if not 1 <= self.per_page <= 100:
            raise msgspec.ValidationError("per_page must be between 1 and 100 - at `$.per_page`")
        if self.page < 1:
            raise msgspec.ValidationError("page must be at least 1 - at `$.page`")
        if self.page > MAX_PAGE:  # the offset stays a GraphQL Int
            raise msgspec.ValidationError(f"page must be at most {MAX_PAGE} - at `$.page`")


class AudioForm(msgspec.Struct):
    name: str | None = None


class AudioData(msgspec.Struct):
    id: int
    name: str
    url: str | None
    duration: float | None
    size: int | None


class AudioCreated(msgspec.Struct):
    data: AudioData


# Laravel's `in:` rule: the documented names (any case is accepted); at least one.
Service = Annotated[str, documented(enum=["Translate", "Transcribe", "Paraphrase", "Speaker Diarization", "Summarize"])]


class CreateSubmission(msgspec.Struct, forbid_unknown_fields=True):
    audio_name: Annotated[str, documented(pattern=r"\S", maxLength=255)]
    services: Annotated[list[Service], documented(minItems=1)]
    audio_url: str | None = None
    audio_id: str | int | None = None
    audio_language: str | None = None
    context: str | None = None
    target_language: str | None = None


class SubmissionBrief(msgspec.Struct):
    id: int
    audio_name: str
    services: list[str]
    status: TaskStatus


class TaskBrief(msgspec.Struct):
    id: int
    status: TaskStatus
    type: str | None


class SubmissionCreatedData(msgspec.Struct):
    submission: SubmissionBrief
    task: TaskBrief


class SubmissionCreated(msgspec.Struct):
    data: SubmissionCreatedData


class TaskDetail(msgspec.Struct):
    id: int
    type: str | None
    status: TaskStatus
    result: dict | list | None
    created_at: str


class SubmissionDetailData(msgspec.Struct):
    id: int
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
    task_id: int
    status: TaskStatus


class TaskReportedData(msgspec.Struct):
    data: TaskReported


def render_error(problem: Problem) -> dict:
    body = {"message": problem.message}
    if problem.code == ErrorCode.VALIDATION_FAILED.value or problem.status == 422:
        name = ".".join(p for p in (problem.field or []) if p not in ("input",)) or "request"
        body["errors"] = {name: [problem.message]}
    return body


# Ids are the document's integers (domain/pitch PitchNumber); paths and bodies take them, or the GraphQL UUIDs.
def task(node: dict) -> dict:
    job = node["job"]
    return {"id": node["number"], "type": job["label"], "status": STATUS_OUT[job["status"]],
            "created_at": job["createdAt"]}


def audio(payload: dict, call=None) -> dict:
    a = payload["asset"]
    original = a.get("original") or {}
    return {"data": {"id": payload["audioNumber"], "name": a["filename"], "url": original.get("url"),
                     "duration": round(a["durationMs"] / 1000, 2) if a.get("durationMs") is not None else None,
                     "size": original.get("size")}}


def created_submission(payload: dict, call=None) -> dict:
    sub, job = payload["submission"], payload["task"]
    status = STATUS_OUT[job["status"]]
    return {"data": {"submission": {"id": sub["number"], "audio_name": sub["audioName"], "services": sub["services"],
                                    "status": status},
                     "task": {"id": sub["taskNumber"], "status": status, "type": job["label"]}}}


def task_detail(job: dict, number: int) -> dict:
    return {"id": number, "type": job["label"], "status": STATUS_OUT[job["status"]], "result": job["resultData"],
            "created_at": job["createdAt"]}


def submission_detail(sub: dict, call=None) -> dict:
    # A submission runs one task (Submission.tasks holds it), numbered taskNumber.
    return {"data": {"id": sub["number"], "audio_name": sub["audioName"], "context": sub["context"],
                     "services": sub["services"], "audio_language": sub["language"],
                     "tasks": [task_detail(t, sub["taskNumber"]) for t in sub["tasks"]]}}


def task_reported(payload: dict, call=None) -> dict:
    return {"data": {"task_id": payload["taskNumber"], "status": STATUS_OUT[payload["job"]["status"]]}}


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
SUBMISSION_FIELDS = f"id number taskNumber audioName context services language tasks {{ {TASK_FIELDS} }}"


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
            asset { id filename durationMs original { size url } } audioNumber errors { field code message } } }""",
          "uploadAudio", audio, lambda c: {"input": {"file": c.files["audio"], "name": c.body.name}},
          body=AudioForm, files=("audio",), response=AudioCreated, status=201, payload=True,
          max_body=26 * 1024 * 1024 + 64 * 1024,
          summary="Upload an audio (multipart `audio`, optional `name`): at most 25 MB; mp3, wav, m4a, aac, flac, ogg"),
    Route("POST", "/api/v1/submissions", f"""mutation($input: CreateSubmissionInput!) {{ createSubmission(input: $input) {{
            submission {{ id number taskNumber audioName services }} task {{ id label status }}
            errors {{ field code message }} }} }}""",
          "createSubmission", created_submission, _submission_vars, body=CreateSubmission, response=SubmissionCreated,
          status=201, payload=True, summary="Submit an audio (audio_id or audio_url) for services; one task runs them"),
    Route("GET", "/api/v1/submissions/{submission}", f"query($id: ID!) {{ submission(id: $id) {{ {SUBMISSION_FIELDS} }} }}",
          "submission", submission_detail, {"id": "path.submission"}, response=SubmissionDetail,
          summary="A submission with its tasks and their results"),
    Route("POST", "/api/v1/tasks/{task}/results", """mutation($input: TaskResultInput!) { submitTaskResult(input: $input) {
            job { id status } taskNumber errors { field code message } } }""",
          "submitTaskResult", task_reported,
          _result_vars, body=TaskResult, response=TaskReportedData, payload=True,
          summary="A processing worker reports a task's result; completed notifies the user and settles credits"),
    Route("GET", "/api/v1/tasks", """query($first: Int, $offset: Int!, $statuses: [JobStatus!], $label: String) {
            pitchTasks(first: $first, offset: $offset, statuses: $statuses, label: $label) {
              totalCount edges { node { number job { id label status createdAt } } } } }""",
          "pitchTasks", task_list, _task_vars, query=TaskQuery, response=TaskList, summary="The user's tasks, paginated"),
]

DIALECT = Dialect(
    name="mediapitch", title="MediaPitch", description="MediaPitch API: audio submissions, tasks and results.",
    prefixes=(r"^/api/v1/(audios|submissions|tasks)(/|$)",), routes=ROUTES, render_error=render_error,
    error_schema=Error, rate_limit_per_minute=60, error_statuses=(400, 401, 403, 404, 413, 422),
    # Laravel: unknown keys are ignored, a body that is not JSON fails validation (422); timestamps in whole seconds.
    unknown_fields="ignore", malformed_status=422, timestamps="seconds",
)

"""MediaCopilot's create-then-poll jobs (translation, partial retranslation, voice-over) and the language catalog."""
from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from rest_compat.dialects.common import JOB_FIELDS, Names, Page, comma_list, documented, lower, sliced
from rest_compat.table import Problem, Route

KIND_PATHS = {"translation_jobs": "TRANSLATION", "partial_retranslation_jobs": "RETRANSLATION",
              "process_voice_over_jobs": "VOICE_OVER"}
FIELDS = JOB_FIELDS + " languageIds"
VOICE_FIELDS = FIELDS + """ result { ... on VoiceOverResult { video { url contentType size }
  audioTracks { id index language file { url contentType size } } } }"""
LANGUAGE_FIELDS = "id code name nativeName transcription translation voiceOver"


class JobError(msgspec.Struct):
    code: str
    message: str


class Job(msgspec.Struct):
    id: str
    job_id: str  # the document's name (create-then-poll reads `job_id`), alongside `id`
    asset_id: str | None
    kind: Literal["translation", "retranslation", "voice_over"]
    status: Literal["queued", "running", "completed", "failed", "cancelled"]
    stage: str | None
    progress: int
    provider: str | None
    language_ids: list[str]
    error: JobError | None
    result: dict | None
    created_at: str
    completed_at: str | None


class JobList(msgspec.Struct):
    data: list[Job]
    page: int
    items: int
    total: int


class Language(msgspec.Struct):
    id: str
    code: str
    name: str
    native_name: str
    capabilities: dict[str, bool]


class LanguageList(msgspec.Struct):
    data: list[Language]
    page: int
    items: int
    total: int


class LanguageQuery(Page):
    items: Annotated[int, documented(minimum=1, maximum=100)] = 100


class LanguageIds(msgspec.Struct, forbid_unknown_fields=True):
    language_ids: Names


class OptionalLanguageIds(msgspec.Struct, forbid_unknown_fields=True):
    language_ids: list[str] | str | None = None


def job(j: dict, call=None) -> dict | Problem:
    asset_id = (j.get("asset") or {}).get("id")
    if call is not None and call.path.get("asset_id") not in (None, asset_id):
        return Problem(404, "NOT_FOUND", f"job {j['id']} not found")
    error = j.get("error")
    return {"id": j["id"], "job_id": j["id"], "asset_id": asset_id, "kind": lower(j["kind"]),
            "status": lower(j["status"]), "stage": j.get("stage"), "progress": j["progress"],
            "provider": j.get("provider"),
            "language_ids": j["languageIds"],
            "error": {"code": error["code"], "message": error["message"]} if error else None,
            "result": _result(j) if j["status"] == "COMPLETED" else None,
            "created_at": j["createdAt"], "completed_at": j.get("completedAt")}


def _result(j: dict) -> dict | None:
    """The stored result, plus signed download URLs of what a voice-over produced."""
    data = dict(j.get("resultData") or {})
    dubbed = j.get("result") or {}
    if dubbed.get("video"):
        data["video_url"] = dubbed["video"]["url"]
        data["audio_tracks"] = [{"id": t["id"], "index": t["index"], "language": t["language"],
                                 "download_url": (t.get("file") or {}).get("url")} for t in dubbed["audioTracks"]]
    return data


def job_list(conn: dict, call) -> dict:
    return {"data": [job(e["node"]) for e in conn["edges"]], "page": call.query.page, "items": call.query.items,
            "total": conn["totalCount"]}


def language(entry: dict, call=None) -> dict:
    return {"id": entry["id"], "code": entry["code"], "name": entry["name"], "native_name": entry["nativeName"],
            "capabilities": {"transcription": entry["transcription"], "translation": entry["translation"],
                             "voice_over": entry["voiceOver"]}}


def language_list(entries: list, call) -> dict:
    return {"data": [language(e) for e in sliced(entries, call.query)], "page": call.query.page,
            "items": call.query.items, "total": len(entries)}


def _get(path: str, kind: str, summary: str, fields: str = FIELDS) -> Route:
    return Route("GET", f"/v1/assets/{{asset_id}}/{path}/{{job_id}}",
                 f"query($id: ID!) {{ job(id: $id, kind: {kind}) {{ {fields} }} }}", "job", job,
                 {"id": "path.job_id"}, response=Job, summary=summary)


def _post(path: str, mutation: str, input_type: str, body: type, summary: str, extra=None,
          fields: str = FIELDS) -> Route:
    def variables(call) -> dict:
        values = {"assetId": call.path["asset_id"], "languageIds": comma_list(getattr(call.body, "language_ids", None))}
        return {"input": {**values, **(extra(call) if extra else {})}}

    return Route("POST", f"/v1/assets/{{asset_id}}/{path}",
                 f"""mutation($input: {input_type}!) {{ {mutation}(input: $input) {{
                   job {{ {fields} }} errors {{ field code message }} }} }}""",
                 mutation, lambda v, c: job(v["job"]), variables, body=body, response=Job, status=201, payload=True,
                 summary=summary)


ROUTES = [
    _post("translation_jobs", "translate", "TranslateInput", LanguageIds,
          "Translate the asset's transcript into each language (language_ids from /v1/languages)"),
    _get("translation_jobs", "TRANSLATION", "A translation job"),
    _post("partial_retranslation_jobs", "retranslate", "RetranslateInput", OptionalLanguageIds,
          "Re-translate only the segments edited since their translation (all translations when no language_ids)"),
    _get("partial_retranslation_jobs", "RETRANSLATION", "A partial retranslation job"),
    _post("process_voice_over_jobs", "voiceOver", "VoiceOverInput", OptionalLanguageIds,
          "Dub the asset into each language (blank: the template's voice-over languages)", fields=VOICE_FIELDS),
    Route("GET", "/v1/assets/{asset_id}/process_voice_over_jobs",
          f"""query($asset: ID!, $first: Int, $offset: Int!) {{ jobs(assetId: $asset, kinds: [VOICE_OVER], first: $first,
            offset: $offset) {{ totalCount edges {{ node {{ {VOICE_FIELDS} }} }} }} }}""",
          "jobs", job_list, lambda c: {"asset": c.path["asset_id"], "first": c.query.items,
                                       "offset": (c.query.page - 1) * c.query.items},
          query=Page, response=JobList, summary="The asset's voice-over jobs, newest first"),
    _get("process_voice_over_jobs", "VOICE_OVER", "A voice-over job", fields=VOICE_FIELDS),
    Route("GET", "/v1/languages", f"{{ languages {{ {LANGUAGE_FIELDS} }} }}", "languages", language_list,
          query=LanguageQuery, response=LanguageList, summary="The language catalog with this deployment's capabilities"),
    Route("GET", "/v1/languages/{language_id}", f"query($id: ID!) {{ language(id: $id) {{ {LANGUAGE_FIELDS} }} }}",
          "language", language, {"id": "path.language_id"}, response=Language, summary="One language"),
]

"""AI Gateway translation jobs: POST (202), GET, and /result (`content`, or a `download_url` for documents)."""
from __future__ import annotations

from typing import Literal

import msgspec

from rest_compat.dialects.ai_gateway_transcriptions import Webhook
from rest_compat.dialects.jsonapi import JobDocument, job_document, request_envelope, result_or_not_ready
from rest_compat.table import Route

TYPE = "translation-job"
OPTIONS = ("source_language", "formality")  # as the document lists them; priority is added from the job
JOB = """id kind status stage progress provider priority input options clientMeta createdAt processedAt completedAt
  error { code message } resultData result { ... on TranslationResult { file { url } } }"""


class Input(msgspec.Struct, forbid_unknown_fields=True):
    type: Literal["text", "document"]
    target_language: str
    content: str | None = None
    url: str | None = None


class Options(msgspec.Struct, forbid_unknown_fields=True):
    source_language: str | None = None
    formality: Literal["default", "formal", "informal"] = "default"
    priority: Literal["low", "standard", "high"] = "standard"


class Attributes(msgspec.Struct, forbid_unknown_fields=True):
    input: Input
    options: Options = msgspec.field(default_factory=Options)
    webhook: Webhook | None = None
    provider: str | None = None


CreateTranslation = request_envelope("CreateTranslation", TYPE, Attributes)


class TranslationOutput(msgspec.Struct):
    source_language: str | None
    target_language: str
    character_count: int
    content: str | None = None
    download_url: str | None = None


def translation_result(job: dict) -> dict:
    data = job.get("resultData") or {}
    body = {"source_language": data.get("source_language"), "target_language": data.get("target_language"),
            "character_count": data.get("character_count") or 0}
    if "content" in data:
        body["content"] = data["content"]
    else:
        body["download_url"] = ((job.get("result") or {}).get("file") or {}).get("url")
    return body


def document(job: dict, call=None) -> dict:
    return job_document(job, TYPE, translation_result(job) if job["status"] == "COMPLETED" else None, OPTIONS)


def _create_vars(call) -> dict:
    data = call.body.data
    attrs, options = data.attributes, data.attributes.options
    return {"input": {
        "type": attrs.input.type.upper(), "content": attrs.input.content, "url": attrs.input.url,
        "targetLanguage": attrs.input.target_language, "sourceLanguage": options.source_language,
        "formality": options.formality.upper(), "priority": options.priority.upper(), "provider": attrs.provider,
        "webhook": {"url": attrs.webhook.url, "headers": attrs.webhook.headers} if attrs.webhook else None,
        "clientMeta": data.meta.client,
    }}


ROUTES = [
    Route("POST", "/v1/translations", f"""mutation($input: TranslateTextInput!) {{ translateText(input: $input) {{
            job {{ {JOB} }} errors {{ field code message }} }} }}""",
          "translateText", lambda v, c: document(v["job"]), _create_vars, body=CreateTranslation,
          response=JobDocument, status=202, payload=True,
          summary="Translate text, or a document (plain text, SRT, WebVTT, DOCX) at a URL"),
    Route("GET", "/v1/translations/{id}", f"query($id: ID!) {{ job(id: $id, kind: TEXT_TRANSLATION) {{ {JOB} }} }}",
          "job", document, {"id": "path.id"}, response=JobDocument, summary="A translation job"),
    Route("GET", "/v1/translations/{id}/result",
          f"query($id: ID!) {{ job(id: $id, kind: TEXT_TRANSLATION) {{ {JOB} }} }}", "job",
          lambda job, call: result_or_not_ready(job, translation_result), {"id": "path.id"},
          response=TranslationOutput,
          summary="The translation: content for text, a signed download_url for documents; 404 RESULT_NOT_READY until done"),
]

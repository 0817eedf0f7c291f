"""AI Gateway video analyses: POST (202), GET, and /result in the documented shapes (times in seconds)."""
from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from rest_compat.dialects.ai_gateway_transcriptions import Webhook
from rest_compat.dialects.common import URL, documented
from rest_compat.dialects.jsonapi import JobDocument, job_document, request_envelope, result_or_not_ready
from rest_compat.table import Route

TYPE = "video-analysis-job"
OPTIONS = ("language", "confidence_threshold")  # as the document lists them; priority is added from the job
JOB = """id kind status stage progress provider priority input options clientMeta createdAt processedAt completedAt
  error { code message } resultDocument"""
Feature = Literal["labels", "scenes", "faces", "speech_to_text", "ocr", "content_moderation", "sentiment", "topics",
                  "brands", "summary"]


class Input(msgspec.Struct, forbid_unknown_fields=True):
    url: Annotated[str, URL]
    features: Annotated[list[Feature], documented(minItems=1)]
    audio_track: Annotated[int, documented(minimum=0)] | None = None


class Options(msgspec.Struct, forbid_unknown_fields=True):
    language: str | None = None
    confidence_threshold: Annotated[float, documented(minimum=0, maximum=1)] = 0.5
    priority: Literal["low", "standard", "high"] = "standard"


class Attributes(msgspec.Struct, forbid_unknown_fields=True):
    input: Input
    options: Options = msgspec.field(default_factory=Options)
    webhook: Webhook | None = None
    provider: str | None = None


CreateAnalysis = request_envelope("CreateVideoAnalysis", TYPE, Attributes)


class TimedInstance(msgspec.Struct):
    start: float
    end: float
    confidence: float | None = None


class VideoMetadata(msgspec.Struct):
    duration: float | None
    width: int | None
    height: int | None
    frame_rate: float | None
    format: str | None
    codec: str | None


class AnalysisResult(msgspec.Struct):
    video_metadata: VideoMetadata
    labels: list[dict] | None = None
    brands: list[dict] | None = None
    scenes: list[dict] | None = None
    faces: list[dict] | None = None
    speech_to_text: list[dict] | None = None
    ocr: list[dict] | None = None
    content_moderation: dict | None = None
    sentiment: dict | None = None
    topics: list[dict] | None = None
    summary: str | None = None


def document(job: dict, call=None) -> dict:
    return job_document(job, TYPE, job.get("resultDocument"), OPTIONS)


def _create_vars(call) -> dict:
    data = call.body.data
    attrs, options = data.attributes, data.attributes.options
    return {"input": {
        "url": attrs.input.url, "features": [f.upper() for f in attrs.input.features],
        "audioTrack": attrs.input.audio_track or 0, "language": options.language,
        "confidenceThreshold": options.confidence_threshold, "priority": options.priority.upper(),
        "provider": attrs.provider,
        "webhook": {"url": attrs.webhook.url, "headers": attrs.webhook.headers} if attrs.webhook else None,
        "clientMeta": data.meta.client,
    }}


ROUTES = [
    Route("POST", "/v1/video-analyses", f"""mutation($input: AnalyzeVideoInput!) {{ analyzeVideo(input: $input) {{
            job {{ {JOB} }} errors {{ field code message }} }} }}""",
          "analyzeVideo", lambda v, c: document(v["job"]), _create_vars, body=CreateAnalysis, response=JobDocument,
          status=202, payload=True, summary="Analyse a video at a URL; features no provider supports are a 422 NO_PROVIDER"),
    Route("GET", "/v1/video-analyses/{id}", f"query($id: ID!) {{ job(id: $id, kind: VIDEO_ANALYSIS) {{ {JOB} }} }}",
          "job", document, {"id": "path.id"}, response=JobDocument, summary="A video analysis job"),
    Route("GET", "/v1/video-analyses/{id}/result",
          f"query($id: ID!) {{ job(id: $id, kind: VIDEO_ANALYSIS) {{ {JOB} }} }}", "job",
          lambda job, call: result_or_not_ready(job, lambda done: done["resultDocument"]), {"id": "path.id"}, response=AnalysisResult,
          summary="The analysis: the requested features only; 404 RESULT_NOT_READY until completed"),
]

"""AI Gateway transcription jobs: POST (202), GET, and /result in the job's format (seconds, like the document)."""
from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Response

from rest_compat.dialects.common import URL, Headers, documented
from rest_compat.dialects.jsonapi import JobDocument, job_document, request_envelope
from rest_compat.table import Problem, Route

TYPE = "transcription-job"
OPTIONS = ("language", "timestamps", "format", "diarization")  # the documented ones; priority added
# The subtitles come from GraphQL's own renderer, speakers by their fixed labels as the document shows them; the
# job's format is known only once it is read, so both text formats are asked for (a transcript renders in ms).
SUBTITLES = "speakerLabels: LABEL, includeSoundDescriptions: false"
JOB = f"""id kind status stage progress provider priority input options clientMeta createdAt processedAt completedAt
  error {{ code message }} asset {{ durationMs }} transcription {{ language segments {{ startMs endMs text speaker {{ label }} }}
  srt: subtitles(format: SRT, {SUBTITLES}) vtt: subtitles(format: VTT, {SUBTITLES}) }}"""


class Input(msgspec.Struct, forbid_unknown_fields=True):
    type: Literal["video", "audio"]
    url: Annotated[str, URL]
    audio_track: Annotated[int, documented(minimum=0)] | None = None


class Options(msgspec.Struct, forbid_unknown_fields=True):
    language: str | None = None
    timestamps: bool = True
    format: Literal["srt", "vtt", "json"] = "json"
    diarization: bool = False
    priority: Literal["low", "standard", "high"] = "standard"


class Webhook(msgspec.Struct, forbid_unknown_fields=True):
    url: Annotated[str, URL]
    headers: Headers = msgspec.field(default_factory=dict)


class Attributes(msgspec.Struct, forbid_unknown_fields=True):
    input: Input
    options: Options = msgspec.field(default_factory=Options)
    webhook: Webhook | None = None
    provider: str | None = None


CreateTranscription = request_envelope("CreateTranscription", TYPE, Attributes)


class ResultSegment(msgspec.Struct):
    start: float
    end: float
    text: str
    speaker: str | None = None


class TranscriptResult(msgspec.Struct):
    format: Literal["json", "srt", "vtt"]
    duration: float
    language: str
    segments: list[ResultSegment] | None = None
    content: str | None = None
    download_url: str | None = None  # the transcript as a file in the job's format, signed, for a day


def _segments(job: dict) -> list[dict]:
    return [{"start": s["startMs"] / 1000, "end": s["endMs"] / 1000, "text": s["text"],
             "speaker": (s.get("speaker") or {}).get("label")} for s in job["transcription"]["segments"]]


def transcript_result(job: dict) -> dict:
    fmt = (job.get("options") or {}).get("format", "json")
    # the media file's duration (its probe), as the document says; the audio's when there is no asset
    length = (job.get("asset") or {}).get("durationMs") or (job.get("resultData") or {}).get("duration_ms") or 0
    duration = length / 1000
    body = {"format": fmt, "duration": duration, "language": job["transcription"]["language"]}
    body["segments"] = _segments(job)  # in every format, as the document's Result has them
    if fmt != "json":
        body["content"] = job["transcription"][fmt]
    return body


def document(job: dict, call=None) -> dict:
    result = transcript_result(job) if job["status"] == "COMPLETED" and job.get("transcription") else None
    return job_document(job, TYPE, result, OPTIONS)


def result(document: dict | None, call) -> dict | Response | Problem:
    """JSON: the Result with its `download_url`; SRT/VTT: the text, as the document says, and the same file's
    signed URL in a `Link` header (rel="enclosure")."""
    if document is None:
        return Problem(404, "RESULT_NOT_READY", f"transcription job {call.path['id']} has not completed; no result yet")
    if document["format"] == "json":
        return document
    media = "text/srt" if document["format"] == "srt" else "text/vtt"
    return Response(document["content"], media_type=f"{media}; charset=utf-8",
                    headers={"Link": f'<{document["download_url"]}>; rel="enclosure"; type="{media}"'})


def _create_vars(call) -> dict:
    data = call.body.data
    attrs, options = data.attributes, data.attributes.options
    return {"input": {
        "url": attrs.input.url, "mediaType": attrs.input.type.upper(), "audioTrack": attrs.input.audio_track or 0,
        "language": options.language, "diarization": options.diarization, "format": options.format.upper(),
        "timestamps": options.timestamps, "priority": options.priority.upper(), "provider": attrs.provider,
        "webhook": {"url": attrs.webhook.url, "headers": attrs.webhook.headers} if attrs.webhook else None,
        "clientMeta": data.meta.client,
    }}


ROUTES = [
    Route("POST", "/v1/transcriptions", f"""mutation($input: TranscribeInput!) {{ transcribe(input: $input) {{
            job {{ {JOB} resultData }} errors {{ field code message }} }} }}""",
          "transcribe", lambda v, c: document(v["job"]), _create_vars, body=CreateTranscription, response=JobDocument,
          status=202, payload=True, summary="Create a transcription job from a media URL"),
    Route("GET", "/v1/transcriptions/{id}", f"query($id: ID!) {{ job(id: $id, kind: TRANSCRIPTION) {{ {JOB} resultData }} }}",
          "job", document, {"id": "path.id"}, response=JobDocument, summary="A transcription job"),
    Route("GET", "/v1/transcriptions/{id}/result",
          "query($id: ID!) { jobResultDocument(jobId: $id, kind: TRANSCRIPTION) }", "jobResultDocument", result,
          {"id": "path.id"}, response=TranscriptResult,
          summary="The transcript: JSON with a download_url, or SRT/VTT text by the job's format (its download URL "
                  "in a Link header); 404 RESULT_NOT_READY until completed"),
]

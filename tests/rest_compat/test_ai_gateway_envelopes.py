"""The AI Gateway's JSON:API job envelopes: request type checking, response shape, meta.client, RESULT_NOT_READY."""
import msgspec
import pytest

from rest_compat.dialects.jsonapi import job_document, request_envelope, result_or_not_ready
from rest_compat.table import Problem


class Attributes(msgspec.Struct, forbid_unknown_fields=True):
    url: str


Request = request_envelope("Example", "transcription-job", Attributes)

JOB = {"id": "3e7dc4b2-91f0-4a1e-8c2d-b56789012345", "kind": "TRANSCRIPTION", "status": "RUNNING", "stage": "transcribing",
       "progress": 40, "provider": "local", "priority": "HIGH", "input": {"url": "https://x/a.mp3"},
       "options": {"format": "json"}, "clientMeta": {"trace": "abc", "n": [1, 2]}, "createdAt": "2026-01-01T00:00:00+00:00",
       "processedAt": "2026-01-01T00:00:01+00:00", "completedAt": None, "error": None}


def test_request_envelope_accepts_the_documented_shape():
    body = msgspec.json.decode(b'{"data": {"type": "transcription-job", "attributes": {"url": "u"},'
                               b' "meta": {"client": {"k": "v"}}}}', type=Request)
    assert body.data.attributes.url == "u" and body.data.meta.client == {"k": "v"}
    bare = msgspec.json.decode(b'{"data": {"type": "transcription-job", "attributes": {"url": "u"}}}', type=Request)
    assert bare.data.meta.client is None


@pytest.mark.parametrize("raw", [
    b'{"data": {"type": "translation-job", "attributes": {"url": "u"}}}',
    b'{"data": {"attributes": {"url": "u"}}}',
    b'{"data": {"type": "transcription-job", "attributes": {"url": "u", "extra": 1}}}',
    b'{"type": "transcription-job"}',
])
def test_request_envelope_refuses_other_types_and_shapes(raw):
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(raw, type=Request)


def test_job_document_maps_status_and_echoes_client_meta():
    doc = job_document(JOB, "transcription-job")["data"]
    assert doc["type"] == "transcription-job" and doc["id"] == JOB["id"]
    assert doc["attributes"]["status"] == "processing" and doc["attributes"]["progress"] == 40
    assert doc["attributes"]["result"] is None and "error" not in doc["attributes"]  # present only when failed
    assert doc["meta"]["client"] == {"trace": "abc", "n": [1, 2]}
    assert doc["meta"]["system"] == {"kind": "transcription", "stage": "transcribing", "priority": "high"}
    cancelled = job_document({**JOB, "status": "CANCELLED", "error": None}, "transcription-job")["data"]["attributes"]
    assert cancelled["status"] == "failed" and cancelled["error"]["code"] == "CANCELLED"
    done = job_document({**JOB, "status": "COMPLETED"}, "transcription-job", {"segments": []})["data"]["attributes"]
    assert done["status"] == "completed" and done["result"] == {"segments": []}


def test_result_is_not_ready_until_completed():
    waiting = result_or_not_ready(JOB, lambda job: {"ok": True})
    assert isinstance(waiting, Problem) and waiting.status == 404 and waiting.code == "RESULT_NOT_READY"
    assert result_or_not_ready({**JOB, "status": "COMPLETED"}, lambda job: {"ok": True}) == {"ok": True}

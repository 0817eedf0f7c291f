"""The AI Gateway as its document's client reads it: webhook events carrying the documented Result objects for all
three job kinds, download_url on every transcript format, /v1/providers in the documented enums, the JSON:API
members a request may carry, `error` only on failure, and `options.priority` echoed."""
from __future__ import annotations

import asyncio
import json
import subprocess

import httpx
import pytest
import srt
import webvtt
from standardwebhooks.webhooks import Webhook

from tests.conftest import new_tenant
from tests.receivers import Receiver
from tests.harness import gql
from tests.media import SHOT_CUTS_MS
from tests.rest_compat.helpers import bearer

DOCUMENTED = {  # the document's Feature enums, per resource key
    "transcriptions": {"language_detection", "diarization", "timestamps"},
    "translations": {"language_detection", "formality"},
    "video-analyses": {"labels", "scenes", "faces", "speech_to_text", "ocr", "content_moderation", "sentiment",
                       "topics", "brands", "summary"},
}
OPTIONS = {"transcription-job": {"language", "timestamps", "format", "diarization", "priority"},
           "translation-job": {"source_language", "formality", "priority"},
           "video-analysis-job": {"language", "confidence_threshold", "priority"}}


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.server.shutdown()
    made.server.server_close()


def _seconds(path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout)


async def _event(client, key, receiver, secret, job_id, suffix, timeout=240) -> dict:
    """The signed event for `job_id` ending in `suffix`, verified as a receiver would."""
    for _ in range(timeout * 5):
        for path, headers, body in list(receiver.requests):
            payload = json.loads(body)
            if payload["data"]["id"] == job_id and payload["event"].endswith(suffix):
                return Webhook(secret).verify(body, headers)
        await asyncio.sleep(0.2)
    raise AssertionError(f"no {suffix} event for {job_id}")


async def _secret(client, key) -> str:
    made = await gql(client, key, "mutation { rotateWebhookSecret { secret errors { code } } }")
    return made["data"]["rotateWebhookSecret"]["secret"]


def _envelope(type_name: str, attributes: dict) -> dict:
    """Everything JSON:API lets a client send around the resource (jsonapi, links, a client id, meta)."""
    return {"jsonapi": {"version": "1.1"}, "links": {"self": "https://client.example/requests/1"},
            "meta": {"request": "r-1"},
            "data": {"id": "00000000-0000-4000-8000-000000000001", "type": type_name, "attributes": attributes,
                     "links": {"self": "https://client.example/jobs/1"}, "meta": {"client": {"ticket": "T-9"}}}}


async def test_providers_list_only_the_documented_keys_and_features(client, tenant):
    body = (await client.get("/v1/providers", headers=bearer(tenant.key))).json()
    for provider in body["data"]:
        resources = provider["attributes"]["resources"]
        assert set(resources) <= set(DOCUMENTED), provider
        for key, capabilities in resources.items():
            assert set(capabilities["features"]) <= DOCUMENTED[key], (provider["id"], key)
    local = next(p for p in body["data"] if p["id"] == "local")
    assert {"transcriptions", "video-analyses"} <= set(local["attributes"]["resources"])
    extensions = local["meta"]["extensions"]  # what we add beyond the document, marked as such
    assert {"media", "language-model"} <= set(extensions["resources"])
    assert "word_timestamps" in extensions["features"]["transcriptions"]


@pytest.mark.parametrize("fmt", ["json", "srt", "vtt"])
async def test_transcription_events_and_result_carry_the_documented_result(client, server, tenant, media_server,
                                                                           media, receiver, fmt):
    secret = await _secret(client, tenant.key)
    created = await client.post("/v1/transcriptions", headers=bearer(tenant.key), json=_envelope(
        "transcription-job", {"input": {"type": "video", "url": f"{media_server}/{media['speech_mp4'].name}"},
                              "options": {"language": "en", "format": fmt, "priority": "high"},
                              "webhook": {"url": f"{receiver.base}/hook"}}))
    assert created.status_code == 202, created.text
    doc = created.json()["data"]
    assert doc["id"] != "00000000-0000-4000-8000-000000000001"  # the gateway's own id, not the client's
    attributes = doc["attributes"]
    assert "error" not in attributes and attributes["options"]["priority"] == "high"
    assert set(attributes["options"]) <= OPTIONS["transcription-job"] and attributes["options"]["format"] == fmt
    event = await _event(client, tenant.key, receiver, secret, doc["id"], ".completed")
    assert event["event"] == "transcription.completed" and "error" not in event["data"]["attributes"]
    assert event["data"]["attributes"]["options"]["priority"] == "high"
    result = event["data"]["attributes"]["result"]
    assert set(result) == {"format", "duration", "language", "segments", "download_url"}, result
    length = _seconds(media["speech_mp4"])
    assert result["format"] == fmt and abs(result["duration"] - length) < 0.5 and result["language"] == "en-US"
    assert result["segments"] and all(0 <= s["start"] < s["end"] <= length + 0.05 for s in result["segments"])
    downloaded = httpx.get(result["download_url"], timeout=30)  # a signed link: no key needed
    assert downloaded.status_code == 200
    answer = await client.get(f"/v1/transcriptions/{doc['id']}/result", headers=bearer(tenant.key))
    assert answer.status_code == 200
    texts = [s["text"] for s in result["segments"]]
    if fmt == "json":
        assert json.loads(downloaded.content)["segments"] == result["segments"]
        # another tenant reaches neither the result document nor the /result row
        other = await new_tenant(server)
        probe = await gql(client, other.key, "query($id: ID!) { jobResultDocument(jobId: $id) }", {"id": doc["id"]},
                          expect_errors=True)
        assert probe["data"]["jobResultDocument"] is None and probe["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        refused = await client.get(f"/v1/transcriptions/{doc['id']}/result", headers=bearer(other.key))
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "NOT_FOUND"
        assert answer.json()["segments"] == result["segments"] and answer.json()["download_url"]
    else:
        assert answer.headers["content-type"].startswith(f"text/{fmt}")
        assert answer.headers["link"].startswith("<http") and 'rel="enclosure"' in answer.headers["link"]
        assert downloaded.text == answer.text
        if fmt == "srt":
            cues = [c.content for c in srt.parse(downloaded.text)]
        else:
            cues = [c.text for c in webvtt.from_buffer(__import__("io").StringIO(downloaded.text))]
        assert " ".join(" ".join(cues).split()) == " ".join(" ".join(texts).split())


async def test_video_analysis_and_translation_events(client, tenant, media_server, media, receiver):
    secret = await _secret(client, tenant.key)
    analysis = await client.post("/v1/video-analyses", headers=bearer(tenant.key), json=_envelope(
        "video-analysis-job", {"input": {"url": f"{media_server}/{media['shots_mp4'].name}?g=1", "features": ["scenes"]},
                               "options": {"priority": "low"}, "webhook": {"url": f"{receiver.base}/hook"}}))
    assert analysis.status_code == 202, analysis.text
    translation = await client.post("/v1/translations", headers=bearer(tenant.key), json=_envelope(
        "translation-job", {"input": {"type": "text", "content": "Good morning.", "target_language": "es"},
                            "webhook": {"url": f"{receiver.base}/hook"}}))
    assert translation.status_code == 202, translation.text
    assert translation.json()["data"]["attributes"]["options"]["priority"] == "standard"
    event = await _event(client, tenant.key, receiver, secret, analysis.json()["data"]["id"], ".completed")
    assert event["event"] == "video-analysis.completed"
    attributes = event["data"]["attributes"]
    assert attributes["options"]["priority"] == "low" and set(attributes["options"]) <= OPTIONS["video-analysis-job"]
    result = attributes["result"]
    assert set(result) == {"video_metadata", "scenes"}, result  # the requested features only, no internal keys
    assert [s["start"] for s in result["scenes"]] == [0.0] + [ms / 1000 for ms in SHOT_CUTS_MS]
    assert abs(result["video_metadata"]["duration"] - _seconds(media["shots_mp4"])) < 0.1
    event = await _event(client, tenant.key, receiver, secret, translation.json()["data"]["id"], ".completed")
    result = event["data"]["attributes"]["result"]
    assert set(result) == {"source_language", "target_language", "character_count", "content"}, result
    assert result["target_language"].startswith("es") and result["content"]
    assert result["character_count"] == len("Good morning.")


async def test_error_appears_only_when_failed(client, tenant, media_server, media, receiver):
    secret = await _secret(client, tenant.key)
    created = await client.post("/v1/transcriptions", headers=bearer(tenant.key), json=_envelope(
        "transcription-job", {"input": {"type": "video", "url": f"{media_server}/{media['not_media'].name}"},
                              "webhook": {"url": f"{receiver.base}/hook"}}))
    assert created.status_code == 202, created.text
    assert "error" not in created.json()["data"]["attributes"]
    event = await _event(client, tenant.key, receiver, secret, created.json()["data"]["id"], ".failed")
    assert event["data"]["attributes"]["status"] == "failed" and event["data"]["attributes"]["error"]["code"]
    assert event["data"]["attributes"]["result"] is None
    doc = (await client.get(f"/v1/transcriptions/{created.json()['data']['id']}", headers=bearer(tenant.key))).json()
    assert doc["data"]["attributes"]["error"]["message"]

"""AI Gateway transcription jobs over HTTP: URL input, 202, polling, RESULT_NOT_READY, formats, errors."""
from __future__ import annotations

import asyncio

import jiwer

from tests.media import MONOLOGUE
from tests.rest_compat.helpers import bearer


def body(url: str, **options) -> dict:
    return {"data": {"type": "transcription-job", "attributes": {"input": {"type": "video", "url": url},
                                                                  "options": options},
                     "meta": {"client": {"ticket": "T-1", "tags": ["a", "b"]}}}}


async def poll(client, key, job_id, timeout=120) -> dict:
    for _ in range(timeout * 10):
        doc = (await client.get(f"/v1/transcriptions/{job_id}", headers=bearer(key))).json()
        if doc["data"]["attributes"]["status"] in {"completed", "failed"}:
            return doc
        await asyncio.sleep(0.1)
    raise AssertionError("job did not finish")


async def test_transcribe_a_url_poll_and_read_the_result(client, tenant, media_server):
    created = await client.post("/v1/transcriptions", json=body(f"{media_server}/speech.mp4", language="en"),
                                headers=bearer(tenant.key))
    assert created.status_code == 202, created.text
    doc = created.json()["data"]
    assert doc["type"] == "transcription-job" and doc["attributes"]["status"] == "pending"
    assert doc["meta"]["client"] == {"ticket": "T-1", "tags": ["a", "b"]}
    early = await client.get(f"/v1/transcriptions/{doc['id']}/result", headers=bearer(tenant.key))
    if early.status_code == 404:
        assert early.json()["error"]["code"] == "RESULT_NOT_READY"
    done = await poll(client, tenant.key, doc["id"])
    attributes = done["data"]["attributes"]
    assert attributes["status"] == "completed", attributes["error"]
    assert attributes["provider"] == "local" and attributes["progress"] == 100 and attributes["completed_at"]
    assert done["data"]["meta"]["client"] == {"ticket": "T-1", "tags": ["a", "b"]}
    result = (await client.get(f"/v1/transcriptions/{doc['id']}/result", headers=bearer(tenant.key))).json()
    assert result["format"] == "json" and result["language"] == "en-US" and result["duration"] > 10
    text = " ".join(s["text"] for s in result["segments"])
    assert jiwer.wer(MONOLOGUE.lower(), text.lower()) <= 0.25
    assert all(0 <= s["start"] < s["end"] <= result["duration"] for s in result["segments"])
    assert attributes["result"]["segments"] == result["segments"]


async def test_srt_format_and_redirects_are_followed(client, tenant, media_server):
    created = await client.post("/v1/transcriptions", json=body(f"{media_server}/redirect/tone.wav", format="srt"),
                                headers=bearer(tenant.key))
    assert created.status_code == 202
    done = await poll(client, tenant.key, created.json()["data"]["id"])
    assert done["data"]["attributes"]["status"] == "completed", done
    result = await client.get(f"/v1/transcriptions/{created.json()['data']['id']}/result", headers=bearer(tenant.key))
    assert result.status_code == 200 and result.headers["content-type"].startswith("text/srt")


async def test_bad_requests_and_failed_downloads(client, tenant, media_server):
    key = tenant.key
    wrong_type = await client.post("/v1/transcriptions", headers=bearer(key), json={
        "data": {"type": "translation-job", "attributes": {"input": {"type": "video", "url": "http://x/a"}}}})
    assert wrong_type.status_code == 422 and wrong_type.json()["error"]["code"] == "VALIDATION_FAILED"
    spanish = await client.post("/v1/transcriptions", json=body(f"{media_server}/speech.mp4", language="zu"),
                                headers=bearer(key))
    assert spanish.status_code == 422 and spanish.json()["error"]["code"] == "UNSUPPORTED_LANGUAGE"
    ftp = await client.post("/v1/transcriptions", json=body("ftp://example.com/a.mp4"), headers=bearer(key))
    assert ftp.status_code == 422
    missing = await client.post("/v1/transcriptions", json=body(f"{media_server}/nope.mp4"), headers=bearer(key))
    failed = await poll(client, key, missing.json()["data"]["id"])
    assert failed["data"]["attributes"]["status"] == "failed"
    assert failed["data"]["attributes"]["error"]["code"] == "MEDIA_UNREADABLE"
    not_ready = await client.get(f"/v1/transcriptions/{missing.json()['data']['id']}/result", headers=bearer(key))
    assert not_ready.status_code == 404 and not_ready.json()["error"]["code"] == "RESULT_NOT_READY"
    silent = await client.post("/v1/transcriptions", json=body(f"{media_server}/silent.mp4"), headers=bearer(key))
    no_audio = await poll(client, key, silent.json()["data"]["id"])
    assert no_audio["data"]["attributes"]["error"]["code"] == "AUDIO_UNREADABLE"
    corrupt = await client.post("/v1/transcriptions", json=body(f"{media_server}/notes.mp4"), headers=bearer(key))
    unreadable = await poll(client, key, corrupt.json()["data"]["id"])
    assert unreadable["data"]["attributes"]["error"]["code"] == "MEDIA_UNREADABLE"
    assert unreadable["data"]["attributes"]["result"] is None
    unknown = await client.get("/v1/transcriptions/00000000-0000-0000-0000-000000000000", headers=bearer(key))
    assert unknown.status_code == 404


async def test_vtt_result_is_graphqls_rendering_with_fixed_speaker_labels(client, tenant, media_server):
    """One renderer: the /result text is Transcription.subtitles with speakerLabels LABEL, even after a rename."""
    from tests.harness import gql

    created = await client.post("/v1/transcriptions", headers=bearer(tenant.key),
                                json=body(f"{media_server}/dialogue.wav", format="vtt", diarization=True))
    assert created.status_code == 202, created.text
    job_id = created.json()["data"]["id"]
    assert (await poll(client, tenant.key, job_id))["data"]["attributes"]["status"] == "completed"
    query = """query($id: ID!) { job(id: $id) { transcription { assetId
        byLabel: subtitles(format: VTT, speakerLabels: LABEL, includeSoundDescriptions: false)
        byName: subtitles(format: VTT, includeSoundDescriptions: false) } asset { speakers { id label } } } }"""
    job = (await gql(client, tenant.key, query, {"id": job_id}))["data"]["job"]
    speaker = job["asset"]["speakers"][0]
    renamed = await gql(client, tenant.key, """mutation($a: ID!, $s: ID!) { updateSpeaker(input: {assetId: $a, id: $s,
        name: "Anchor"}) { errors { code } } }""", {"a": job["transcription"]["assetId"], "s": speaker["id"]})
    assert renamed["data"]["updateSpeaker"]["errors"] == []
    after = (await gql(client, tenant.key, query, {"id": job_id}))["data"]["job"]["transcription"]
    result = await client.get(f"/v1/transcriptions/{job_id}/result", headers=bearer(tenant.key))
    assert result.status_code == 200 and result.headers["content-type"].startswith("text/vtt")
    assert result.text == after["byLabel"] == job["transcription"]["byLabel"]
    assert f"<v {speaker['label']}>" in result.text and "<v Anchor>" not in result.text
    assert "<v Anchor>" in after["byName"]

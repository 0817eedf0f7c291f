"""MediaCopilot translation, retranslation, voice-over and language rows over HTTP."""
from __future__ import annotations

import asyncio
import uuid

from domain import languages
from tests.e2e.test_transcription import transcribed
from tests.providers import fake_translate
from tests.rest_compat.helpers import bearer, mc_upload, mc_wait_ready

ES, FR = (str(languages.by_code(c).id) for c in ("es-ES", "fr-FR"))


async def poll(client, key, url, timeout=240) -> dict:
    for _ in range(timeout * 10):
        got = await client.get(url, headers=bearer(key))
        assert got.status_code == 200, got.text
        if got.json()["status"] in {"completed", "failed", "cancelled"}:
            return got.json()
        await asyncio.sleep(0.1)
    raise AssertionError("job did not finish")


async def test_languages_catalog(client, tenant):
    listed = await client.get("/v1/languages", headers=bearer(tenant.key))
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == len(languages.LANGUAGES) == len(body["data"])
    spanish = next(l for l in body["data"] if l["code"] == "es-ES")
    # transcribed by the multilingual Whisper base model (tiny.en only hears English)
    assert spanish["capabilities"] == {"transcription": True, "translation": True, "voice_over": True}
    one = await client.get(f"/v1/languages/{spanish['id']}", headers=bearer(tenant.key))
    assert one.json() == spanish
    missing = await client.get(f"/v1/languages/{uuid.uuid4()}", headers=bearer(tenant.key))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"


async def test_template_languages_drive_translation_and_voice_over(client, tenant, media, libre):
    key = tenant.key
    template = await client.post("/v1/templates", headers=bearer(key), json={
        "name": "dub to French", "translation_language_ids": [ES], "voice_over_language_ids": [FR],
        "voice_over_config": {"clone_voice": False, "mute_original_voice": True}})
    assert template.status_code == 201, template.text
    asset = await mc_upload(client, key, media["speech_mp4"], template_id=template.json()["id"])
    await mc_wait_ready(client, key, asset["id"])
    await transcribed(client, key, asset["id"], count=1)
    base = f"/v1/assets/{asset['id']}"
    # The template's translation language was translated automatically after the transcript.
    for _ in range(600):
        listed = (await client.get(f"{base}/transcriptions", headers=bearer(key))).json()
        if any(t["language"] == "es-ES" for t in listed["data"]):
            break
        await asyncio.sleep(0.1)
    source = next(t for t in listed["data"] if t["source"] == "asr")
    spanish = next(t for t in listed["data"] if t["language"] == "es-ES")
    assert [s["original_segment_id"] for s in spanish["segments"]] == [s["id"] for s in source["segments"]]

    started = await client.post(f"{base}/process_voice_over_jobs", json={"language_ids": ""}, headers=bearer(key))
    assert started.status_code == 201, started.text
    assert started.json()["kind"] == "voice_over" and started.json()["language_ids"] == [FR]
    done = await poll(client, key, f"{base}/process_voice_over_jobs/{started.json()['id']}")
    assert done["status"] == "completed", done
    result = done["result"]
    assert result["mute_original_voice"] is True and result["languages"] == ["fr-FR"]
    assert result["video_url"].startswith("http") and result["audio_tracks"][0]["language"] == "fr-FR"
    listed_jobs = (await client.get(f"{base}/process_voice_over_jobs", headers=bearer(key))).json()
    assert listed_jobs["total"] == 1 and listed_jobs["data"][0]["id"] == done["id"]
    tracks = (await client.get(f"{base}/audio_tracks", headers=bearer(key))).json()["data"]
    dubbed = next(t for t in tracks if t["source"] == "voice_over")
    url = (await client.get(f"{base}/audio_tracks/{dubbed['id']}/download_url", headers=bearer(key))).json()
    assert url["content_type"] == "audio/mp4"


async def test_translation_and_retranslation_jobs(client, tenant, other_tenant, media, libre):
    key = tenant.key
    asset = await mc_upload(client, key, media["speech_mp4"])
    await mc_wait_ready(client, key, asset["id"])
    await transcribed(client, key, asset["id"])
    base = f"/v1/assets/{asset['id']}"
    started = await client.post(f"{base}/translation_jobs", json={"language_ids": [ES]}, headers=bearer(key))
    assert started.status_code == 201, started.text
    job = started.json()
    assert job["kind"] == "translation" and job["status"] in {"queued", "running"} and job["language_ids"] == [ES]
    done = await poll(client, key, f"{base}/translation_jobs/{job['id']}")
    assert done["status"] == "completed" and done["result"]["provider_calls"] >= 1
    other = await client.get(f"{base}/translation_jobs/{job['id']}", headers=bearer(other_tenant.key))
    assert other.status_code == 404
    wrong_kind = await client.get(f"{base}/partial_retranslation_jobs/{job['id']}", headers=bearer(key))
    assert wrong_kind.status_code == 404

    listed = (await client.get(f"{base}/transcriptions", headers=bearer(key))).json()["data"]
    source = next(t for t in listed if t["source"] == "asr")
    segment = source["segments"][0]
    patched = await client.patch(f"{base}/transcriptions/{source['id']}/segments/{segment['id']}",
                                 json={"text": "Good evening, friends."}, headers=bearer(key))
    assert patched.status_code == 200
    again = await client.post(f"{base}/partial_retranslation_jobs", json={}, headers=bearer(key))
    assert again.status_code == 201, again.text
    redone = await poll(client, key, f"{base}/partial_retranslation_jobs/{again.json()['id']}")
    assert redone["status"] == "completed" and redone["result"]["transcriptions"][0]["updated"] == 1
    spanish = next(t for t in (await client.get(f"{base}/transcriptions", headers=bearer(key))).json()["data"]
                   if t["language"] == "es-ES")
    assert spanish["segments"][0]["text"] == fake_translate("Good evening, friends.", "es")

    unknown = str(uuid.uuid4())
    bad = await client.post(f"{base}/translation_jobs", json={"language_ids": [unknown]}, headers=bearer(key))
    assert bad.status_code == 422 and unknown in bad.json()["error"]["message"]
    assert bad.json()["error"]["code"] == "VALIDATION_FAILED"

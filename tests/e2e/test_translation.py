"""Transcript translation and retranslation end to end, through LibreTranslate and chat-completions servers."""
from __future__ import annotations

import asyncio
import uuid

from domain import languages
from tests.e2e.test_transcription import transcribed
from tests.flows import ready_asset
from tests.harness import gql
from tests.providers import fake_translate

ES, DE, FR = (str(languages.by_code(c).id) for c in ("es-ES", "de-DE", "fr-FR"))
TRANSLATE = """mutation($input: TranslateInput!) { translate(input: $input) {
  job { id kind status provider } errors { field code message } } }"""
RETRANSLATE = """mutation($input: RetranslateInput!) { retranslate(input: $input) {
  job { id kind status provider } errors { field code message } } }"""
JOB = """query($id: ID!) { job(id: $id) { id status provider progress error { code message } resultData } }"""
TRANSCRIPTS = """query($id: ID!) { asset(id: $id) { transcriptions { id language source
  segments { id startMs endMs text originalSegmentId speaker { label } } } } }"""
ADD = """mutation($input: AddSegmentsInput!) { addSegments(input: $input) { transcription { id }
  errors { field code message } } }"""
UPDATE = """mutation($input: UpdateSegmentsInput!) { updateSegments(input: $input) { segments { id text }
  errors { field code message } } }"""


async def finished(client, key, job_id, timeout=120) -> dict:
    for _ in range(timeout * 10):
        job = (await gql(client, key, JOB, {"id": job_id}))["data"]["job"]
        if job["status"] in {"COMPLETED", "FAILED", "CANCELLED"}:
            return job
        await asyncio.sleep(0.1)
    raise AssertionError("job did not finish")


async def transcript_asset(client, key, media, extra_segments: int = 0, marker: str = "") -> tuple[str, dict]:
    """An uploaded, transcribed speech asset; `extra_segments` hand-written segments appended after the speech."""
    asset = await ready_asset(client, key, media["speech_mp4"])
    done = await transcribed(client, key, asset["id"])
    source = done["transcriptions"][0]
    if extra_segments:
        step = max(1, (done["durationMs"] - 1000) // extra_segments)
        segments = [{"startMs": i * step, "endMs": i * step + step - 1, "text": f"Line {i} {marker} of the story.",
                     "speaker": "SPEAKER_00"} for i in range(extra_segments)]
        added = (await gql(client, key, ADD, {"input": {"transcriptionId": source["id"], "segments": segments}}))
        assert added["data"]["addSegments"]["errors"] == [], added
    return asset["id"], await by_language(client, key, asset["id"], "en-US")


async def by_language(client, key, asset_id, language) -> dict:
    found = (await gql(client, key, TRANSCRIPTS, {"id": asset_id}))["data"]["asset"]["transcriptions"]
    return next(t for t in reversed(found) if t["language"] == language)


async def test_translate_keeps_timing_and_links_every_segment(client, tenant, media, libre):
    marker = uuid.uuid4().hex[:10]
    asset_id, source = await transcript_asset(client, tenant.key, media, extra_segments=30, marker=marker)
    asked = (await gql(client, tenant.key, TRANSLATE, {"input": {"assetId": asset_id, "languageIds": [ES, FR]}}))
    payload = asked["data"]["translate"]
    assert payload["errors"] == [] and payload["job"]["provider"] == "libre", payload
    job = await finished(client, tenant.key, payload["job"]["id"])
    assert job["status"] == "COMPLETED", job
    result = job["resultData"]
    assert result["segments"] == len(source["segments"]) and result["provider_calls"] < result["segments"]
    assert libre.count(marker) == result["provider_calls"] == 2  # one batch per language, neighbours together
    for code in ("es-ES", "fr-FR"):
        translated = await by_language(client, tenant.key, asset_id, code)
        assert translated["source"] == "TRANSLATION"
        pairs = list(zip(source["segments"], translated["segments"]))
        assert len(pairs) == len(source["segments"]) == len(translated["segments"])
        for original, segment in pairs:
            assert segment["originalSegmentId"] == original["id"]
            assert (segment["startMs"], segment["endMs"]) == (original["startMs"], original["endMs"])
            assert segment["text"] == fake_translate(" ".join(original["text"].split()), code.split("-")[0])


async def test_markers_lost_by_the_provider_are_recovered_by_splitting(client, tenant, media, libre):
    """The fake engine drops the batch markers for German: batches are halved until each maps back."""
    marker = uuid.uuid4().hex[:10]
    asset_id, source = await transcript_asset(client, tenant.key, media, extra_segments=6, marker=marker)
    payload = (await gql(client, tenant.key, TRANSLATE, {"input": {"assetId": asset_id, "languageIds": [DE]}}))
    job = await finished(client, tenant.key, payload["data"]["translate"]["job"]["id"])
    assert job["status"] == "COMPLETED", job
    translated = await by_language(client, tenant.key, asset_id, "de-DE")
    assert [s["text"] for s in translated["segments"]] == [
        fake_translate(" ".join(s["text"].split()), "de") for s in source["segments"]]


async def test_partial_retranslation_touches_only_changed_segments(client, tenant, media, libre):
    marker = uuid.uuid4().hex[:10]
    asset_id, source = await transcript_asset(client, tenant.key, media, extra_segments=5, marker=marker)
    job = (await gql(client, tenant.key, TRANSLATE, {"input": {"assetId": asset_id, "languageIds": [ES]}}))
    assert (await finished(client, tenant.key, job["data"]["translate"]["job"]["id"]))["status"] == "COMPLETED"
    before = await by_language(client, tenant.key, asset_id, "es-ES")
    changed = source["segments"][-2]
    edited = await gql(client, tenant.key, UPDATE, {"input": {"transcriptionId": source["id"], "segments": [
        {"id": changed["id"], "text": f"A rewritten line {marker}."}]}})
    assert edited["data"]["updateSegments"]["errors"] == []
    calls = libre.count(marker)
    asked = (await gql(client, tenant.key, RETRANSLATE, {"input": {"assetId": asset_id}}))["data"]["retranslate"]
    assert asked["errors"] == [], asked
    job = await finished(client, tenant.key, asked["job"]["id"])
    assert job["status"] == "COMPLETED", job
    assert job["resultData"]["transcriptions"][0]["updated"] == 1 and job["resultData"]["provider_calls"] == 1
    assert libre.count(marker) == calls + 1
    after = await by_language(client, tenant.key, asset_id, "es-ES")
    assert after["id"] == before["id"]
    for old, new in zip(before["segments"], after["segments"]):
        assert old["id"] == new["id"]
        if old["originalSegmentId"] == changed["id"]:
            assert new["text"] == f"(es) A rewritten line {marker}."
        else:
            assert new == old  # byte for byte


async def test_unknown_and_unsupported_languages_are_refused_up_front(client, tenant, media):
    asset_id, _ = await transcript_asset(client, tenant.key, media)
    unknown = str(uuid.uuid4())
    payload = (await gql(client, tenant.key, TRANSLATE, {"input": {"assetId": asset_id, "languageIds": [unknown]}}))
    [error] = payload["data"]["translate"]["errors"]
    assert error["code"] == "VALIDATION_FAILED" and unknown in error["message"]
    retranslate = (await gql(client, tenant.key, RETRANSLATE, {"input": {"assetId": asset_id}}))["data"]["retranslate"]
    assert retranslate["errors"][0]["code"] == "CONFLICT"


async def test_provider_failure_fails_the_job_and_writes_nothing(client, tenant, media, libre):
    asset_id, source = await transcript_asset(client, tenant.key, media, extra_segments=3, marker="PROVIDER-DOWN")
    payload = (await gql(client, tenant.key, TRANSLATE, {"input": {"assetId": asset_id, "languageIds": [ES, FR]}}))
    job = await finished(client, tenant.key, payload["data"]["translate"]["job"]["id"])
    assert job["status"] == "FAILED" and job["error"]["code"] == "PROVIDER_UNAVAILABLE", job
    found = (await gql(client, tenant.key, TRANSCRIPTS, {"id": asset_id}))["data"]["asset"]["transcriptions"]
    assert [t["language"] for t in found] == ["en-US"]  # no half-written translation


async def test_formal_translation_goes_to_the_language_model(client, tenant, media, chat):
    asset_id, source = await transcript_asset(client, tenant.key, media)
    payload = (await gql(client, tenant.key, TRANSLATE, {"input": {
        "assetId": asset_id, "languageIds": ["es"], "formality": "FORMAL"}}))["data"]["translate"]
    assert payload["job"]["provider"] == "openai-compatible", payload
    job = await finished(client, tenant.key, payload["job"]["id"])
    assert job["status"] == "COMPLETED", job
    translated = await by_language(client, tenant.key, asset_id, "es-ES")
    assert all(s["text"].startswith("formal (es-ES) ") for s in translated["segments"])


async def test_languages_catalog_reports_capabilities(client, tenant):
    body = await gql(client, tenant.key, "{ languages { id code name nativeName transcription translation voiceOver } }")
    catalog = {lang["code"]: lang for lang in body["data"]["languages"]}
    assert catalog["en-US"]["transcription"] and catalog["en-US"]["translation"]
    assert catalog["es-ES"]["transcription"]  # the multilingual Whisper base transcribes it
    assert catalog["es-ES"]["translation"] and catalog["es-ES"]["voiceOver"]
    assert catalog["es-ES"]["id"] == ES and catalog["es-ES"]["nativeName"] == "Español"


async def test_only_configured_providers_are_listed(client, tenant):
    body = await gql(client, tenant.key, """{ providers(resource: TRANSLATIONS) { id resources { type features } } }""")
    listed = {p["id"]: p for p in body["data"]["providers"]}
    assert set(listed) == {"libre", "openai-compatible"}  # google is not configured in the tests (no internet)
    features = {r["type"]: r["features"] for r in listed["openai-compatible"]["resources"]}
    assert "formality" in features["TRANSLATIONS"] and "paraphrase" in features["LANGUAGE_MODEL"]
    rest = (await client.get("/v1/providers", headers={"Authorization": f"Bearer {tenant.key}"})).json()
    assert {"libre", "openai-compatible"} <= {p["id"] for p in rest["data"]}

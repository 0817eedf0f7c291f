"""Voice-over end to end: espeak-ng speech fitted to the segments, mixed, stored as a track and an mp4."""
from __future__ import annotations

import uuid

import ffmpeg
import httpx
import numpy as np

from tests.e2e.test_translation import ADD, ES, FR, by_language, finished, transcript_asset
from tests.harness import gql

VOICE_OVER = """mutation($input: VoiceOverInput!) { voiceOver(input: $input) {
  job { id kind status } errors { field code message } } }"""
RESULT = """query($id: ID!) { job(id: $id) { status error { code message } result { ... on VoiceOverResult {
  warnings video { url contentType size } audioTracks { id index language source file { url } } } } } }"""


def decoded(path, stream: str) -> np.ndarray:
    out, _ = (ffmpeg.input(str(path)).output("pipe:", map=stream, format="f32le", ac=1, ar=16000)
              .run(capture_stdout=True, quiet=True))
    return np.frombuffer(out, dtype=np.float32)


async def dub(client, key, asset_id, **extra) -> dict:
    asked = (await gql(client, key, VOICE_OVER, {"input": {"assetId": asset_id, **extra}}))["data"]["voiceOver"]
    assert asked["errors"] == [], asked
    job = await finished(client, key, asked["job"]["id"], timeout=240)
    assert job["status"] == "COMPLETED", job
    return (await gql(client, key, RESULT, {"id": job["id"]}))["data"]["job"]["result"]


async def test_a_new_user_translates_and_dubs_a_video_and_hears_the_new_track(client, tenant, media, tmp_path):
    asset_id, source = await transcript_asset(client, tenant.key, media)
    result = await dub(client, tenant.key, asset_id, languageIds=[ES])
    [track] = result["audioTracks"]
    assert track["language"] == "es-ES" and track["source"] == "VOICE_OVER" and track["index"] == 1
    translated = await by_language(client, tenant.key, asset_id, "es-ES")  # translated on the way
    assert len(translated["segments"]) == len(source["segments"])

    video = tmp_path / "dubbed.mp4"
    video.write_bytes((await httpx.AsyncClient().get(result["video"]["url"])).content)
    streams = ffmpeg.probe(str(video))["streams"]
    audio = [s for s in streams if s["codec_type"] == "audio"]
    assert [s["codec_type"] for s in streams].count("video") == 1 and len(audio) == 2
    assert audio[1]["tags"]["language"] == "spa"
    original, dubbed = decoded(video, "0:a:0"), decoded(video, "0:a:1")
    assert abs(len(original) - len(dubbed)) < 16000 * 0.5
    speaking = [(s["startMs"], s["endMs"]) for s in translated["segments"]]
    voiced = np.concatenate([dubbed[a * 16:b * 16] for a, b in speaking])
    assert np.sqrt(np.mean(voiced ** 2)) > 0.02  # the new track speaks where the segments are
    n = min(len(original), len(dubbed))
    assert np.mean(np.abs(original[:n] - dubbed[:n])) > 0.005  # and it is not the original


async def test_muted_original_and_trimmed_segments_are_reported(client, tenant, media, tmp_path):
    asset_id, source = await transcript_asset(client, tenant.key, media)
    long_text = "This sentence is far too long to be spoken in the tiny slot it was given, " * 3
    added = await gql(client, tenant.key, ADD, {"input": {"transcriptionId": source["id"], "segments": [
        {"startMs": 100, "endMs": 600, "text": long_text, "speaker": "SPEAKER_00"}]}})
    assert added["data"]["addSegments"]["errors"] == []
    ducked = await dub(client, tenant.key, asset_id, languageIds=[FR])
    muted = await dub(client, tenant.key, asset_id, languageIds=[FR], muteOriginalVoice=True)
    [warning] = muted["warnings"]
    assert warning["code"] == "TRIMMED" and warning["tempo"] == 1.5 and warning["needed_tempo"] > 1.5
    tracks = {}
    for name, result in (("ducked", ducked), ("muted", muted)):
        path = tmp_path / f"{name}.m4a"
        path.write_bytes((await httpx.AsyncClient().get(result["audioTracks"][0]["file"]["url"])).content)
        tracks[name] = decoded(path, "0:a:0")
    n = min(len(tracks["ducked"]), len(tracks["muted"]))
    # The ducked mix still carries the original under the voice; the muted one is the voice alone.
    assert np.mean(np.abs(tracks["ducked"][:n] - tracks["muted"][:n])) > 0.003
    body = (await gql(client, tenant.key, "query($id: ID!) { asset(id: $id) { audioTracks { language source } } }",
                      {"id": asset_id}))["data"]["asset"]["audioTracks"]
    assert [t["source"] for t in body].count("VOICE_OVER") == 1  # a new dub replaces the earlier one


async def test_clone_voice_without_a_cloning_provider_is_refused(client, tenant, media):
    asset_id, _ = await transcript_asset(client, tenant.key, media)
    asked = (await gql(client, tenant.key, VOICE_OVER, {"input": {"assetId": asset_id, "languageIds": [ES],
                                                                  "cloneVoice": True}}))["data"]["voiceOver"]
    assert asked["errors"][0]["code"] == "NO_PROVIDER"
    blank = (await gql(client, tenant.key, VOICE_OVER, {"input": {"assetId": asset_id}}))["data"]["voiceOver"]
    assert blank["errors"][0]["code"] == "VALIDATION_FAILED"
    unknown = str(uuid.uuid4())
    bad = (await gql(client, tenant.key, VOICE_OVER, {"input": {"assetId": asset_id, "languageIds": [unknown]}}))
    assert unknown in bad["data"]["voiceOver"]["errors"][0]["message"]

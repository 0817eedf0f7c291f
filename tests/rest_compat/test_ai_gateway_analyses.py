"""AI Gateway video analyses over HTTP: one URL, every local feature, the documented result shapes."""
from __future__ import annotations

import asyncio
import difflib

from tests.media import CAPTION, SHOT_CUTS_MS
from tests.rest_compat.helpers import bearer

LOCAL = ["scenes", "faces", "speech_to_text", "ocr", "content_moderation", "sentiment", "topics", "summary"]


def body(url: str, features: list[str], **options) -> dict:
    return {"data": {"type": "video-analysis-job", "attributes": {"input": {"url": url, "features": features},
                                                                 "options": options}}}


async def test_a_video_url_analysed_with_every_local_feature(client, tenant, media_server, media):
    url = f"{media_server}/{media['shots_mp4'].name}"
    created = await client.post("/v1/video-analyses", json=body(url, LOCAL), headers=bearer(tenant.key))
    assert created.status_code == 202, created.text
    job_id = created.json()["data"]["id"]
    assert created.json()["data"]["attributes"]["provider"] == "local"
    for _ in range(1800):
        got = (await client.get(f"/v1/video-analyses/{job_id}", headers=bearer(tenant.key))).json()
        if got["data"]["attributes"]["status"] in {"completed", "failed"}:
            break
        await asyncio.sleep(0.1)
    assert got["data"]["attributes"]["status"] == "completed", got
    result = (await client.get(f"/v1/video-analyses/{job_id}/result", headers=bearer(tenant.key))).json()
    meta = result["video_metadata"]
    assert (meta["width"], meta["height"]) == (1280, 720) and 7.5 < meta["duration"] < 8.5 and meta["codec"] == "h264"
    starts = [s["start"] for s in result["scenes"]]
    assert len(starts) == 3 and all(abs(a - b / 1000) <= 0.1 for a, b in zip(starts[1:], SHOT_CUTS_MS))
    [face] = result["faces"]
    assert face["track_id"] == 0 and abs(face["instances"][0]["start"] - 2.0) <= 0.5
    assert any(difflib.SequenceMatcher(None, o["text"], CAPTION).ratio() >= 0.9 for o in result["ocr"])
    assert result["content_moderation"] == {"is_safe": True, "signals": []}
    speech = " ".join(s["text"] for s in result["speech_to_text"]).lower()
    assert "evening news" in speech and all(s["speaker_id"] == 0 for s in result["speech_to_text"])
    assert result["sentiment"]["overall"] in {"positive", "neutral", "negative"}
    assert -1 <= result["sentiment"]["score"] <= 1 and result["sentiment"]["instances"]
    assert result["topics"] and all(0 <= t["confidence"] <= 1 for t in result["topics"])
    assert result["summary"]
    assert "labels" not in result  # only what was asked


async def test_labels_and_brands_come_from_the_vision_model(client, tenant, media_server, media, chat):
    url = f"{media_server}/{media['shots_mp4'].name}"
    created = await client.post("/v1/video-analyses", json=body(url, ["scenes", "labels", "brands"]),
                                headers=bearer(tenant.key))
    assert created.status_code == 202, created.text
    job_id = created.json()["data"]["id"]
    assert created.json()["data"]["attributes"]["provider"] == "openai-compatible"
    for _ in range(1800):
        got = (await client.get(f"/v1/video-analyses/{job_id}", headers=bearer(tenant.key))).json()
        if got["data"]["attributes"]["status"] in {"completed", "failed"}:
            break
        await asyncio.sleep(0.1)
    result = (await client.get(f"/v1/video-analyses/{job_id}/result", headers=bearer(tenant.key))).json()
    [label] = result["labels"]  # "blur" was under the 0.5 threshold
    assert label["name"] == "person" and len(label["instances"]) == 3  # one look per shot
    assert [i["start"] for i in label["instances"]] == [s["start"] for s in result["scenes"]]
    assert result["brands"][0]["name"] == "Mediagraph"
    bad = await client.post("/v1/video-analyses", json=body(url, ["scenes"], confidence_threshold=2),
                            headers=bearer(tenant.key))
    assert bad.status_code == 422


def test_without_a_vision_model_labels_and_brands_are_no_provider():
    from domain.errors import NoProvider
    from domain.providers.registry import ProviderRegistry
    from workers.engines.registry import register_local

    registry = register_local(ProviderRegistry())  # the local engines only
    assert "labels" not in registry.get("local").resources["video_analyses"].features
    try:
        registry.pick("video_analyses", ["scenes", "labels", "brands"])
    except NoProvider as refused:
        assert "labels" in refused.message and "brands" in refused.message
    else:
        raise AssertionError("labels were claimed without a vision model")

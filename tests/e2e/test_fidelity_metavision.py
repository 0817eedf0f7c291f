"""MetaVision as its document's client reads it, on a default deployment (no vision-language model): title and
description derived from the local analysis, the request list's JSON-encoded categories, a real key prefix, and
custom_category's own error code."""
from __future__ import annotations

import asyncio
import difflib
import json
import subprocess

from tests.conftest import new_tenant
from tests.harness import gql
from tests.media import CAPTION, MONOLOGUE, SHOT_CUTS_MS
from tests.rest_compat.helpers import bearer

CATALOG = "{ analysisCategories { categories { id needsVisionModel available } models { name vision } } }"


async def _done(client, key: str, job_id: str, timeout: float = 300) -> dict:
    for _ in range(int(timeout * 2)):
        job = (await gql(client, key, "query($id: ID!) { job(id: $id) { status } }", {"id": job_id}))["data"]["job"]
        if job["status"] in {"COMPLETED", "FAILED", "CANCELLED"}:
            return (await client.get(f"/api/v1/jobs/{job_id}", headers=bearer(key))).json()
        await asyncio.sleep(0.5)
    raise AssertionError("analysis did not finish")


def _seconds(path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout)


async def test_title_and_description_are_derived_from_the_local_analysis(plain_server, media_server, media):
    import httpx

    tenant = await new_tenant(plain_server)
    async with httpx.AsyncClient(base_url=plain_server.base_url, timeout=60) as client:
        catalog = (await gql(client, tenant.key, CATALOG))["data"]["analysisCategories"]
        offered = {c["id"]: c for c in catalog["categories"]}
        assert [m["name"] for m in catalog["models"]] == ["local-v1"]
        assert offered["title"]["available"] and offered["description"]["available"]
        assert not offered["objects"]["available"] and offered["objects"]["needsVisionModel"]

        submitted = await client.post("/api/v1/analyze", headers=bearer(tenant.key), json={
            "media": f"{media_server}/{media['shots_mp4'].name}?t=derived", "media_type": "video",
            "categories": ["title", "description", "sentiment"], "detail": "balanced"})
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["job_id"]
        done = await _done(client, tenant.key, job_id)
        assert done["status"] == "completed", done
        title, description = done["data"]["title"]["result"], done["data"]["description"]["result"]
        # what the media really holds: its length (ffprobe), its three shots, the astronaut's face, the caption
        seconds = round(_seconds(media["shots_mp4"]))
        assert description.startswith(f"{seconds}-second video in three shots with one distinct face"), description
        assert len(SHOT_CUTS_MS) + 1 == 3
        assert difflib.SequenceMatcher(None, title, CAPTION).ratio() >= 0.9, title
        quoted = description.split("on-screen text '", 1)[1].split("'", 1)[0]
        assert difflib.SequenceMatcher(None, quoted, CAPTION).ratio() >= 0.9, description
        spoken = description.split("speech: '", 1)[1].split("'", 1)[0].lower()
        heard = set(spoken.replace(".", " ").replace(",", " ").split())
        said = set(MONOLOGUE.lower().replace(".", " ").replace(",", " ").split())
        assert len(heard & said) >= 0.7 * len(heard) and len(heard) >= 5, spoken  # the speech, not made up
        meta = done["meta"]
        assert meta["derived_categories"] == ["title", "description"] and meta["model_name"] == "local-v1"
        assert {"transcript", "on_screen_text", "shots", "faces"} <= set(meta["derived_from"])
        assert meta["successful_categories"] == 3 and "transcript" not in done["data"]  # transcribe was not asked

        # the request list prints categories as a JSON-encoded string, as the document does
        listed = (await client.get("/api/v1/account/requests", headers=bearer(tenant.key))).json()
        [row] = [r for r in listed["requests"] if r["request_id"] == job_id]
        assert row["categories"] == '["title","description","sentiment"]'
        assert json.loads(row["categories"]) == ["title", "description", "sentiment"]
        detail = (await client.get(f"/api/v1/account/requests/{job_id}", headers=bearer(tenant.key))).json()
        assert detail["categories"] == ["title", "description", "sentiment"]  # a list there, as its document shows

        # the balance names the calling key by a real prefix of it, and by the key's own name
        balance = (await client.get("/api/v1/account/balance", headers=bearer(tenant.key))).json()
        prefix = balance["api_key_prefix"]
        assert len(prefix) >= 8 and tenant.key.startswith(prefix) and prefix != tenant.key
        assert balance["overall"]["total_requests"] == 1


async def test_vision_only_categories_and_custom_category_are_refused_precisely(plain_server, media_server, media):
    import httpx

    tenant = await new_tenant(plain_server)
    url = f"{media_server}/{media['shots_mp4'].name}"
    async with httpx.AsyncClient(base_url=plain_server.base_url, timeout=60) as client:
        objects = await client.post("/api/v1/analyze", headers=bearer(tenant.key), json={
            "media": url, "media_type": "video", "categories": ["objects"]})
        assert objects.status_code == 400 and objects.json()["code"] == "invalid_categories", objects.text
        custom = await client.post("/api/v1/analyze", headers=bearer(tenant.key), json={
            "media": url, "media_type": "video", "categories": ["title"], "custom_category": "What is the mood?"})
        assert custom.status_code == 400, custom.text
        body = custom.json()
        assert body["code"] == "no_language_model" and "custom_category" in body["error"], body
        made = await gql(client, tenant.key, """mutation($input: AnalyzeMediaInput!) { analyzeMedia(input: $input) {
            job { id } errors { field code } } }""", {"input": {"media": url, "mediaType": "video",
                                                              "customCategory": "What is the mood?"}})
        assert made["data"]["analyzeMedia"]["errors"] == [{"field": ["custom_category"], "code": "NO_LANGUAGE_MODEL"}]


def test_derived_texts_state_only_what_was_measured():
    from domain.analysis.derived import Measured, derive

    silent = derive(Measured(media_type="audio", duration_s=9.4))
    assert silent.title == "9-second audio" and silent.description == "9-second audio; no speech recognised."
    assert silent.sources == []
    image = derive(Measured(media_type="image", width=1280, height=720, faces=2, screen_text=["OPEN DAILY"]))
    assert image.title == "OPEN DAILY" and image.sources == ["faces", "on_screen_text"]
    assert image.description == "1280x720 image with two distinct faces; on-screen text 'OPEN DAILY'."
    talk = derive(Measured(media_type="video", duration_s=16.2, shots=3, speech=["Heavy rain on mountain roads."],
                           summary="Heavy rain on mountain roads.", topics=["heavy rain", "mountain roads"]))
    assert talk.title == "Heavy rain on mountain roads" and talk.sources == ["shots", "transcript", "topics"]
    assert talk.description == ("16-second video in three shots; speech: 'Heavy rain on mountain roads.'; "
                                "topics: heavy rain, mountain roads.")

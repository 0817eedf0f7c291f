"""MetaVision end to end: a video URL with credentials, stages, the completed document, assets, billing, refusals."""
from __future__ import annotations

import asyncio
import base64
import difflib
import json

import cv2
from skimage import data

from tests.conftest import MEDIA_REQUESTS
from tests.harness import gql
from tests.media import CAPTION
from tests.rest_compat.helpers import bearer

CATEGORIES = ["scenes", "faces", "on_screen_text", "keywords", "transcript_summary", "sentiment", "moderation", "title"]


async def poll(client, key, job_id, timeout=300) -> tuple[dict, list[str]]:
    """Stages watched through GraphQL (MetaVision's paths allow 60 requests a minute), the answer read over REST."""
    seen = []
    for _ in range(timeout * 5):
        job = (await gql(client, key, "query($id: ID!) { job(id: $id) { status stage } }", {"id": job_id}))["data"]["job"]
        stages = {"optimizing", "transcribing", "analyzing"}  # other stage names are steps of optimizing
        status = ((job["stage"] if job["stage"] in stages else "optimizing") if job["status"] == "RUNNING"
                  else job["status"].lower())
        if not seen or seen[-1] != status:
            seen.append(status)
        if job["status"] in {"COMPLETED", "FAILED", "CANCELLED"}:
            got = (await client.get(f"/api/v1/jobs/{job_id}", headers=bearer(key))).json()
            return got, seen
        await asyncio.sleep(0.2)
    raise AssertionError("analysis did not finish")


async def test_a_video_url_with_credentials_is_analysed_and_billed(client, tenant, media_server, media):
    url = f"{media_server}/{media['shots_mp4'].name}?v=mv"
    submitted = await client.post("/api/v1/analyze", headers=bearer(tenant.key), json={
        "media": url, "media_type": "video", "categories": CATEGORIES, "transcribe": True,
        "transcribe_diarize": True, "detail": "high",
        "auth": {"cookie_string": "session=s3cr3t", "headers": {"X-Token": "t0k3n-value"}}})
    assert submitted.status_code == 202, submitted.text
    body = submitted.json()
    assert body["status"] == "queued" and body["poll_url"] == f"/api/v1/jobs/{body['job_id']}"
    done, seen = await poll(client, tenant.key, body["job_id"])
    assert done["status"] == "completed", done
    # analyzing is often over between two polls; the order of what was seen is the pipeline's
    assert seen[-1] == "completed" and {"optimizing", "transcribing"} <= set(seen)
    order = ["queued", "optimizing", "transcribing", "analyzing", "completed"]
    assert [order.index(s) for s in seen] == sorted(order.index(s) for s in seen)
    fetched = [h for path, h in MEDIA_REQUESTS if path == "/" + url.split("/", 3)[3]]
    assert fetched and fetched[0]["x-token"] == "t0k3n-value" and fetched[0]["cookie"] == "session=s3cr3t"
    stored = json.dumps((await gql(client, tenant.key, """query($id: ID!) { job(id: $id) { input options resultData } }""",
                                   {"id": body["job_id"]}))["data"])
    assert "s3cr3t" not in stored and "t0k3n" not in stored  # used for the download, never kept

    meta, found = done["meta"], done["data"]
    assert meta["successful_categories"] == len(CATEGORIES) and meta["failed_categories"] == 0
    assert meta["estimated_cost"] == round(len(CATEGORIES) * 0.01 * 2 + 0.01, 6)  # high = 2x, transcription 1x
    assert [s["start"] for s in found["scenes"]["result"]] == [0.0, 2.0, 5.0]
    assert found["faces"]["result"]["count"] == 1
    assert any(difflib.SequenceMatcher(None, t, CAPTION).ratio() >= 0.9 for t in found["on_screen_text"]["result"])
    assert found["moderation"]["result"]["is_safe"] is True
    assert found["title"]["result"].startswith("VISION (3 images)")  # the vision agent saw one frame per shot
    transcript = found["transcript"]
    assert transcript["segments"] and all("speaker" in s and "words" not in s for s in transcript["segments"])
    assert transcript["speakers"] and transcript["detected_language"] == "en"
    assert {s["codec_type"] for s in done["pipeline_info"]["metadata"]["streams"]} == {"video", "audio"}
    assert done["pipeline_info"]["faces"]["faces"][0]["file"] == "face_001.jpg"
    assets = done["pipeline_assets"]
    assert {"thumbnail.jpg", "waveform.png", "thumbnails/0001.jpg", "faces/face_001.jpg"} <= set(assets)
    image = await client.get(assets["faces/face_001.jpg"])  # no key: the signed link is enough
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"

    detail = (await client.get(f"/api/v1/account/requests/{body['job_id']}", headers=bearer(tenant.key))).json()
    assert detail["request_id"] == body["job_id"] and detail["meta"]["billed_amount"] == meta["estimated_cost"]
    listed = (await client.get("/api/v1/account/requests?media_type=video&status=success",
                               headers=bearer(tenant.key))).json()
    assert [r["request_id"] for r in listed["requests"]] == [body["job_id"]] and listed["limit"] == 50
    balance = (await client.get("/api/v1/account/balance", headers=bearer(tenant.key))).json()
    assert balance["overall"]["total_billed"] == meta["estimated_cost"] and balance["overall"]["total_success"] == 1
    assert balance["breakdown_by_type"][0]["media_type"] == "video" and balance["custom_range"] is None
    prices = (await client.get("/api/v1/account/prices", headers=bearer(tenant.key))).json()
    assert [p["billing_multiplier"] for p in prices["quality_profiles"]] == [1, 1, 2, 4]


async def test_a_base64_image(client, tenant):
    ok, png = cv2.imencode(".png", cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR))
    submitted = await client.post("/api/v1/analyze", headers=bearer(tenant.key), json={
        "media_base64": base64.b64encode(png.tobytes()).decode(), "media_type": "image", "categories": ["faces"]})
    assert submitted.status_code == 202, submitted.text
    done, _ = await poll(client, tenant.key, submitted.json()["job_id"])
    assert done["status"] == "completed", done
    assert done["data"]["faces"]["result"]["count"] == 1


async def test_refusals_use_the_metavision_table(client, tenant, media_server, media):
    url = f"{media_server}/{media['shots_mp4'].name}"
    cases = [
        ({"media": url, "media_type": "video", "categories": ["astrology"]}, "invalid_categories"),
        ({"media_base64": base64.b64encode(b"x" * (2 * 1024 * 1024 + 10)).decode(), "media_type": "image"},
         "invalid_request"),
        ({"media_base64": base64.b64encode(b"png").decode(), "media_type": "image",
          "auth": {"cookie_string": "a=b"}}, "invalid_request"),
        ({"media": url, "media_type": "image", "transcribe": True}, "invalid_request"),
        ({"media": url, "media_type": "video", "auth": {"headers": {"bad name": "v"}}}, "invalid_request"),
        ({"media": url, "media_type": "video", "auth": {"headers": {"X-A": "one\rtwo"}}}, "invalid_request"),
        ({"media": url, "media_type": "video", "detail": "extreme"}, "invalid_request"),
        ({"media": url, "media_type": "video", "model": "not-a-uuid"}, "invalid_request"),
        ({"media_type": "video"}, "invalid_request"),
    ]
    for request, code in cases:
        refused = await client.post("/api/v1/analyze", headers=bearer(tenant.key), json=request)
        assert refused.status_code == 400, (request, refused.text)
        assert refused.json()["code"] == code, (request, refused.json())
    huge = await client.post("/api/v1/analyze", headers=bearer(tenant.key),
                             content=b'{"media_base64": "' + b"A" * (5 * 1024 * 1024) + b'"}')
    assert huge.status_code == 413 and huge.json()["code"] == "invalid_request"


def test_vision_categories_need_a_vision_model():
    import pytest

    from domain.analysis import metavision
    from domain.errors import ValidationFailed
    from domain.providers.registry import ProviderRegistry
    from workers.engines.registry import register_local

    registry = register_local(ProviderRegistry())
    with pytest.raises(ValidationFailed) as refused:
        metavision.validate(registry, metavision.AnalyzeMedia(media="https://example.com/v.mp4", media_type="video",
                                                              categories=["scenes", "objects"]))
    assert refused.value.field == ["categories"] and "objects" in refused.value.message
    categories, agent = metavision.validate(registry, metavision.AnalyzeMedia(media="https://example.com/v.mp4",
                                                                              media_type="video"))
    assert agent.name == "local-v1" and all(metavision.answerable_locally(metavision.BY_ID[c]) for c in categories)
    assert {"title", "description"} <= set(categories)  # derived from the local analysis without a vision model


async def test_media_that_is_not_media_fails_the_job_cleanly(client, tenant, media_server, media):
    submitted = await client.post("/api/v1/analyze", headers=bearer(tenant.key), json={
        "media": f"{media_server}/{media['not_media'].name}", "media_type": "video", "categories": ["scenes"]})
    assert submitted.status_code == 202
    done, _ = await poll(client, tenant.key, submitted.json()["job_id"])
    assert done["status"] == "failed" and "not a readable media file" in done["error"]
    assert "data" not in done and "pipeline_assets" not in done
    missing = await client.post("/api/v1/analyze", headers=bearer(tenant.key), json={
        "media": f"{media_server}/nothing-here.mp4", "media_type": "video", "categories": ["scenes"]})
    done, _ = await poll(client, tenant.key, missing.json()["job_id"])
    assert done["status"] == "failed" and "HTTP 404" in done["error"]


async def test_private_media_urls_are_refused_unless_allowed(server, tenant):
    import dataclasses

    import pytest

    from domain.analysis import metavision
    from domain.db import UnitOfWork, make_engine, make_sessionmaker
    from domain.errors import ValidationFailed
    from domain.tenancy import service as tenancy

    ports = server.runtime.ports
    strict = dataclasses.replace(ports, settings=dataclasses.replace(ports.settings, allow_private_urls=False))
    engine = make_engine(server.settings.database_url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            viewer = await tenancy.authenticate(uow.session, tenant.key)
            for url in ("http://127.0.0.1:8000/v.mp4", "http://10.0.0.5/v.mp4", "http://[::1]/v.mp4"):
                with pytest.raises(ValidationFailed) as refused:
                    await metavision.request(uow, strict, viewer, metavision.AnalyzeMedia(
                        media=url, media_type="video", categories=["scenes"]))
                assert refused.value.field == ["media"]
            await uow.rollback()
    finally:
        await engine.dispose()


async def test_aligned_transcripts_carry_words_and_no_speakers(client, tenant, media_server, media):
    submitted = await client.post("/api/v1/analyze", headers=bearer(tenant.key), json={
        "media": f"{media_server}/{media['dialogue_wav'].name}", "media_type": "audio",
        "categories": ["transcript_summary", "sentiment"], "transcribe": True, "transcribe_align": True})
    assert submitted.status_code == 202, submitted.text
    done, _ = await poll(client, tenant.key, submitted.json()["job_id"])
    assert done["status"] == "completed", done
    transcript = done["data"]["transcript"]
    assert all(s["words"] and "speaker" not in s for s in transcript["segments"]) and "speakers" not in transcript
    assert done["data"]["transcript_summary"]["result"] and "waveform.png" in done["pipeline_assets"]

"""The upload flow end to end, on each backend: parts, ETags, probe, live progress, derived files."""
from __future__ import annotations

import httpx

from tests.flows import ASSET, FINISH, START, create_asset, probe_job, put_parts, split, upload, wait_asset
from tests.harness import Subscription, gql
from tests.parts import padded

JOB_UPDATED = """subscription($id: ID!) { jobUpdated(id: $id) {
  id kind status stage progress processedAt completedAt error { code message } } }"""


async def test_two_part_upload_is_probed_and_progress_streams_live(server, client, tenant, media):
    asset = await create_asset(client, tenant.key, "clip.mp4", externalId="ext-1")
    assert asset["status"] == "UPLOADING" and asset["externalId"] == "ext-1"
    started = (await gql(client, tenant.key, START, {"id": asset["id"], "parts": 2}))["data"]["startUpload"]
    assert [p["partNumber"] for p in started["parts"]] == [1, 2]
    etags = await put_parts(client, [p["url"] for p in started["parts"]], split(padded(media["mp4"]), 2))
    assert all(tag.startswith('"') and len(tag) == 34 for tag in etags)  # S3's quoted MD5
    finished = (await gql(client, tenant.key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]
    assert finished["errors"] == [] and finished["asset"]["status"] == "PROCESSING"
    assert finished["job"]["kind"] == "PROBE"

    async with Subscription(server, tenant.key, JOB_UPDATED, {"id": finished["job"]["id"]}) as sub:
        events = await sub.collect_until(lambda p: p["data"]["jobUpdated"]["status"] in {"COMPLETED", "FAILED"})
    jobs = [e["data"]["jobUpdated"] for e in events]
    assert jobs[-1]["status"] == "COMPLETED", jobs[-1]
    progress = [j["progress"] for j in jobs]
    assert progress == sorted(progress) and progress[-1] == 100
    assert jobs[-1]["processedAt"] and jobs[-1]["completedAt"]

    ready = await wait_asset(client, tenant.key, asset["id"])
    assert ready["status"] == "READY"
    assert ready["durationMs"] == 4000
    assert (ready["media"]["width"], ready["media"]["height"], ready["media"]["frameRate"]) == (320, 240, 25.0)
    assert ready["media"]["videoCodec"] == "h264"
    assert ready["audioTracks"] == [{**ready["audioTracks"][0], "index": 0, "codec": "aac", "channels": 2,
                                     "sampleRate": 48000, "language": "eng"}]
    for role, kind in (("thumbnail", "image/jpeg"), ("waveform", "image/png")):
        stored = ready[role]
        assert stored["contentType"] == kind and stored["size"] > 0
        async with httpx.AsyncClient() as anyone:  # signed URLs need no API key
            fetched = await anyone.get(stored["url"])
        assert fetched.status_code == 200 and len(fetched.content) == stored["size"]


async def test_subscription_from_the_start_sees_every_transition_in_order(server, client, tenant, media):
    asset = await create_asset(client, tenant.key, "clip.mp4")
    started = (await gql(client, tenant.key, START, {"id": asset["id"], "parts": 1}))["data"]["startUpload"]
    etags = await put_parts(client, [started["parts"][0]["url"]], [media["wav"].read_bytes()])
    events_query = """subscription($asset: ID!) { jobEvents(assetId: $asset, kinds: [PROBE]) { id status progress stage } }"""
    async with Subscription(server, tenant.key, events_query, {"asset": asset["id"]}) as sub:
        await gql(client, tenant.key, FINISH, {"id": asset["id"], "etags": etags})
        events = await sub.collect_until(lambda p: p["data"]["jobEvents"]["status"] == "COMPLETED")
    statuses = [e["data"]["jobEvents"]["status"] for e in events]
    assert statuses[0] == "QUEUED" and statuses[1] == "RUNNING" and statuses[-1] == "COMPLETED"
    assert statuses.count("QUEUED") == 1 and statuses.count("COMPLETED") == 1
    progress = [e["data"]["jobEvents"]["progress"] for e in events]
    assert progress == sorted(progress)


async def test_wrong_etag_names_the_part_and_keeps_the_upload_for_a_retry(client, tenant, media):
    asset = await create_asset(client, tenant.key, "clip.mp4")
    started = (await gql(client, tenant.key, START, {"id": asset["id"], "parts": 2}))["data"]["startUpload"]
    etags = await put_parts(client, [p["url"] for p in started["parts"]], split(padded(media["mp4"]), 2))
    bad = (await gql(client, tenant.key, FINISH, {"id": asset["id"], "etags": [etags[0], '"0000"']}))["data"]["finishUpload"]
    assert bad["asset"] is None
    assert bad["errors"] == [{"field": ["input", "etags", "1"], "code": "VALIDATION_FAILED",
                              "message": "part 2: ETag '\"0000\"' does not match the uploaded part"}]
    missing = (await gql(client, tenant.key, FINISH, {"id": asset["id"], "etags": [etags[0]]}))["data"]["finishUpload"]
    assert missing["errors"][0]["code"] == "VALIDATION_FAILED" and missing["errors"][0]["field"] == ["input", "etags"]
    still = (await gql(client, tenant.key, ASSET, {"id": asset["id"]}))["data"]["asset"]
    assert still["status"] == "UPLOADING" and still["jobs"]["totalCount"] == 0
    good = (await gql(client, tenant.key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]
    assert good["errors"] == [] and good["asset"]["status"] == "PROCESSING"
    assert (await wait_asset(client, tenant.key, asset["id"]))["status"] == "READY"


async def test_a_part_not_yet_uploaded_is_named(client, tenant, media):
    asset = await create_asset(client, tenant.key, "clip.mp4")
    started = (await gql(client, tenant.key, START, {"id": asset["id"], "parts": 2}))["data"]["startUpload"]
    etags = await put_parts(client, [started["parts"][0]["url"]], split(media["mp4"], 2)[:1])
    result = (await gql(client, tenant.key, FINISH, {"id": asset["id"], "etags": [etags[0], '"abc"']}))["data"]["finishUpload"]
    assert result["errors"][0]["field"] == ["input", "etags", "1"]
    assert result["errors"][0]["message"] == "part 2 has not been uploaded"


async def test_a_file_that_is_not_media_fails_the_probe_and_the_asset(client, tenant, media):
    asset, job = await upload(client, tenant.key, media["not_media"], parts=1)
    failed = await wait_asset(client, tenant.key, asset["id"])
    assert failed["status"] == "FAILED"
    probe = probe_job(failed)
    assert probe["status"] == "FAILED" and probe["error"]["code"] == "MEDIA_UNREADABLE"
    assert failed["audioTracks"] == [] and failed["thumbnail"] is None and failed["media"] is None


async def test_video_without_audio_has_a_thumbnail_and_no_tracks(client, tenant, media):
    asset, _ = await upload(client, tenant.key, media["silent_mp4"], parts=1)
    ready = await wait_asset(client, tenant.key, asset["id"])
    assert ready["status"] == "READY" and ready["audioTracks"] == []
    assert ready["thumbnail"] is not None and ready["waveform"] is None


async def test_audio_file_has_a_waveform_and_no_thumbnail(client, tenant, media):
    asset, _ = await upload(client, tenant.key, media["wav"], parts=1)
    ready = await wait_asset(client, tenant.key, asset["id"])
    assert ready["status"] == "READY" and ready["durationMs"] == 2000
    assert ready["thumbnail"] is None and ready["waveform"]["contentType"] == "image/png"
    assert ready["audioTracks"][0]["sampleRate"] == 16000


async def test_restarting_an_upload_replaces_the_old_urls(client, tenant, media):
    asset = await create_asset(client, tenant.key, "clip.mp4")
    first = (await gql(client, tenant.key, START, {"id": asset["id"], "parts": 1}))["data"]["startUpload"]
    second = (await gql(client, tenant.key, START, {"id": asset["id"], "parts": 1}))["data"]["startUpload"]
    assert first["uploadId"] != second["uploadId"]
    stale = await client.put(first["parts"][0]["url"], content=b"x")
    assert stale.status_code == 404

"""The embedded default behaves like production: S3's multipart rules on both storage adapters with one error, and
the upload and clip flows on S3 (moto) as well as on local files."""
from __future__ import annotations

import asyncio

import httpx
import pytest

from domain.errors import ValidationFailed
from domain.storage.parts import MAX_PARTS, MIN_PART_BYTES
from tests.conftest import new_tenant
from tests.flows import FINISH, START, create_asset, put_parts, split, wait_asset
from tests.harness import gql
from tests.parts import filler, padded
from tests.rest_compat.helpers import bearer

SMALL = 1_100_000  # a 1.1 MB first part: S3 answers EntityTooSmall
TOO_SMALL = {"field": ["input", "etags"], "code": "VALIDATION_FAILED",
             "message": f"storage refused the parts: EntityTooSmall (part 1 is {SMALL} bytes; every part but the last "
                        f"must be at least {MIN_PART_BYTES} bytes, 5 MiB)"}
CLIP = """mutation($input: CreateClipsInput!) { createClips(input: $input) {
  clips { id status } jobs { id kind } errors { field code message } } }"""
CLIPS = """query($id: ID!) { asset(id: $id) { clips { edges { node { id status size url error { code message } } } } } }"""


async def _small_first_part(http: httpx.AsyncClient, key: str) -> tuple[dict, int, dict, dict]:
    """GraphQL's and MediaCopilot's answers to a two-part upload whose first part is 1.1 MB, and the fixed retry."""
    asset = await create_asset(http, key, "small-parts.bin")
    started = (await gql(http, key, START, {"id": asset["id"], "parts": 2}))["data"]["startUpload"]
    urls = [p["url"] for p in started["parts"]]
    etags = await put_parts(http, urls, [filler(SMALL), b"tail"])
    refused = (await gql(http, key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]
    rest = await http.post(f"/v1/assets/{asset['id']}/finish_upload", json={"etags": etags}, headers=bearer(key))
    # As on S3, the upload stays open: the part uploaded again at a legal size, the same upload finishes.
    etags[0] = (await put_parts(http, urls[:1], [filler(MIN_PART_BYTES)]))[0]
    fixed = (await gql(http, key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]
    return refused, rest.status_code, rest.json(), fixed


async def test_a_small_first_part_is_refused_alike_on_local_and_s3(server, client, tenant, s3_server):
    local = await _small_first_part(client, tenant.key)
    s3_tenant = await new_tenant(s3_server)
    async with httpx.AsyncClient(base_url=s3_server.base_url, timeout=60) as http:
        s3 = await _small_first_part(http, s3_tenant.key)
    for refused, status, body, fixed in (local, s3):
        assert refused["asset"] is None and refused["errors"] == [TOO_SMALL]
        assert status == 422 and body["error"]["code"] == "VALIDATION_FAILED"
        assert fixed["errors"] == [] and fixed["asset"]["status"] == "PROCESSING"
    assert local[:3] == s3[:3]  # the same answer, byte for byte, in both dialects


async def _too_many_parts(http: httpx.AsyncClient, key: str) -> dict:
    asset = await create_asset(http, key, "many.bin")
    return (await gql(http, key, START, {"id": asset["id"], "parts": MAX_PARTS + 1}))["data"]["startUpload"]


async def test_more_than_ten_thousand_parts_are_refused_alike(server, client, tenant, s3_server):
    s3_tenant = await new_tenant(s3_server)
    async with httpx.AsyncClient(base_url=s3_server.base_url, timeout=60) as http:
        answers = [await _too_many_parts(client, tenant.key), await _too_many_parts(http, s3_tenant.key)]
    for answer in answers:
        assert not answer["parts"] and answer["errors"] == [{
            "field": ["input", "parts"], "code": "VALIDATION_FAILED", "message": "parts must be between 1 and 10000"}]
    # The adapters themselves refuse it too (S3 has no part 10,001), whoever calls them.
    for storage in (server.runtime.ports.storage, s3_server.runtime.ports.storage):
        with pytest.raises(ValidationFailed):
            await storage.start_multipart("t/x/a/y/original/many.bin", MAX_PARTS + 1, 60)


async def _upload_and_clip(http: httpx.AsyncClient, key: str, media: dict) -> tuple[dict, dict, bytes]:
    source = padded(media["mp4"])
    asset = await create_asset(http, key, "parity.mp4")
    started = (await gql(http, key, START, {"id": asset["id"], "parts": 2}))["data"]["startUpload"]
    etags = await put_parts(http, [p["url"] for p in started["parts"]], split(source, 2))
    finished = (await gql(http, key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]
    assert finished["errors"] == [], finished
    ready = await wait_asset(http, key, asset["id"])
    made = (await gql(http, key, CLIP, {"input": {"assetId": asset["id"], "clips": [
        {"startMs": 1000, "endMs": 2000, "mode": "FAST"}]}}))["data"]["createClips"]
    assert made["errors"] == [], made
    for _ in range(1200):
        [clip] = [e["node"] for e in (await gql(http, key, CLIPS, {"id": asset["id"]}))["data"]["asset"]["clips"]["edges"]]
        if clip["status"] in {"READY", "FAILED"}:
            break
        await asyncio.sleep(0.1)
    fetched = await http.get(clip["url"]) if clip["url"] else None
    return ready, clip, fetched.content if fetched is not None and fetched.status_code == 200 else b""


async def test_upload_and_clip_flows_answer_the_same_on_local_and_s3(server, client, tenant, s3_server, media):
    s3_tenant = await new_tenant(s3_server)
    async with httpx.AsyncClient(base_url=s3_server.base_url, timeout=60) as http:
        on_s3 = await _upload_and_clip(http, s3_tenant.key, media)
    on_local = await _upload_and_clip(client, tenant.key, media)
    assert on_s3[1]["url"].startswith(s3_server.env["S3_ENDPOINT_URL"])
    for ready, clip, body in (on_local, on_s3):
        assert ready["status"] == "READY" and ready["durationMs"] == 4000, ready
        assert clip["status"] == "READY" and clip["error"] is None, clip
        assert clip["size"] == len(body) and body[4:8] == b"ftyp"
    assert on_local[0]["media"] == on_s3[0]["media"]

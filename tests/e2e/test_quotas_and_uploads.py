"""Storage abuse limits: the per-tenant byte quota, the declared upload size, and the sweeper of abandoned uploads."""
from __future__ import annotations

import asyncio
import os
import uuid

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer

from app import _create_key, create_app, migrate
from domain.db import make_engine, make_sessionmaker
from domain.settings import Settings
from domain.storage.parts import MIN_PART_BYTES
from tests.flows import FINISH, START, create_asset, put_parts
from tests.harness import ThreadedServer, free_port, gql
from tests.parts import filler
from tests.rest_compat.helpers import bearer
from workers.reaper import sweep_uploads

START_SIZED = """mutation($id: ID!, $parts: Int!, $size: ByteSize) {
  startUpload(input: {assetId: $id, parts: $parts, size: $size}) {
    uploadId parts { partNumber url } errors { field code message } } }"""
ASSET = "query($id: ID!) { asset(id: $id) { status original { size } } }"


async def start(client, key, asset_id, size, parts=1) -> dict:
    return (await gql(client, key, START_SIZED, {"id": asset_id, "parts": parts, "size": size}))["data"]["startUpload"]


async def finish(client, key, asset_id, etags) -> dict:
    return (await gql(client, key, FINISH, {"id": asset_id, "etags": etags}))["data"]["finishUpload"]


async def asset_of(client, key, asset_id) -> dict:
    return (await gql(client, key, ASSET, {"id": asset_id}))["data"]["asset"]


async def sweep(settings, ports, ttl_s: float) -> int:
    engine = make_engine(settings.database_url)
    try:
        return await sweep_uploads(make_sessionmaker(engine), ports, ttl_s=ttl_s)
    finally:
        await engine.dispose()


async def test_quota_refuses_at_start_and_at_finish_and_spares_other_tenants(server, client, other_tenant):
    name = f"quota-{uuid.uuid4().hex[:8]}"
    key = await _create_key(server.settings, name, False, quota_bytes=1000)
    first = await create_asset(client, key, "a.bin")
    missing = await start(client, key, first["id"], None)
    assert missing["uploadId"] is None and missing["errors"] == [{
        "field": ["input", "size"], "code": "VALIDATION_FAILED",
        "message": "size (the file's total bytes) is required: this account has a storage quota"}]
    too_big = await start(client, key, first["id"], 1001)
    assert too_big["uploadId"] is None and too_big["errors"] == [{
        "field": ["input", "size"], "code": "QUOTA_EXCEEDED",
        "message": "storing 1001 bytes would exceed the account's storage quota (1000 bytes left)"}]
    started = await start(client, key, first["id"], 600)
    assert started["errors"] == []
    done = await finish(client, key, first["id"], await put_parts(client, [started["parts"][0]["url"]], [b"a" * 600]))
    assert done["errors"] == []
    assert (await asset_of(client, key, first["id"]))["original"] == {"size": 600}

    # 600 stored: 500 more does not fit, 400 does (and stays reserved while it uploads).
    second = await create_asset(client, key, "b.bin")
    assert (await start(client, key, second["id"], 500))["errors"][0]["code"] == "QUOTA_EXCEEDED"
    reserved = await start(client, key, second["id"], 400)
    assert reserved["errors"] == []
    third = await create_asset(client, key, "c.bin")
    assert (await start(client, key, third["id"], 1))["errors"][0]["code"] == "QUOTA_EXCEEDED"

    # The operator lowers the quota before the upload finishes: the real size no longer fits, nothing is kept.
    await _create_key(server.settings, name, False, quota_bytes=700)
    etags = await put_parts(client, [reserved["parts"][0]["url"]], [b"b" * 400])
    refused = await finish(client, key, second["id"], etags)
    assert refused["job"] is None and refused["errors"] == [{
        "field": ["input", "etags"], "code": "QUOTA_EXCEEDED",
        "message": "storing 400 bytes would exceed the account's storage quota (100 bytes left)"}]
    assert await asset_of(client, key, second["id"]) == {"status": "UPLOADING", "original": None}
    assert (await client.put(reserved["parts"][0]["url"], content=b"b" * 400)).status_code == 404

    # MediaCopilot answers in its own shape, with 413.
    rest = await client.post(f"/v1/assets/{second['id']}/start_upload", json={"parts": 1, "size": 101},
                             headers=bearer(key))
    assert rest.status_code == 413 and rest.json()["error"]["code"] == "QUOTA_EXCEEDED"

    # Another tenant has no quota: no size needed, nothing refused.
    theirs = await create_asset(client, other_tenant.key, "big.bin")
    free = (await gql(client, other_tenant.key, START, {"id": theirs["id"], "parts": 1}))["data"]["startUpload"]
    etags = await put_parts(client, [free["parts"][0]["url"]], [b"c" * 5000])
    assert (await finish(client, other_tenant.key, theirs["id"], etags))["errors"] == []


async def test_mediapitch_audio_over_the_quota_is_413_and_not_stored(server, client, media):
    key = await _create_key(server.settings, f"quota-{uuid.uuid4().hex[:8]}", False, quota_bytes=1000)
    data = media["wav"].read_bytes()
    refused = await client.post("/api/v1/audios", headers=bearer(key),
                                files={"audio": ("call.wav", data, "application/octet-stream")})
    assert refused.status_code == 413, refused.text
    assert refused.json()["message"] == (f"storing {len(data)} bytes would exceed the account's storage quota "
                                         "(1000 bytes left)")
    listed = await gql(client, key, "{ assets { totalCount } }")
    assert listed["data"]["assets"]["totalCount"] == 0


async def test_declared_size_that_the_parts_do_not_match_is_refused_and_nothing_kept(client, tenant):
    asset = await create_asset(client, tenant.key, "short.bin")
    started = await start(client, tenant.key, asset["id"], 100, parts=2)
    urls = [p["url"] for p in started["parts"]]
    etags = await put_parts(client, urls, [b"x" * 50, b"y" * 40])
    refused = await finish(client, tenant.key, asset["id"], etags)
    assert refused["asset"] is None and refused["errors"] == [{
        "field": ["input", "etags"], "code": "VALIDATION_FAILED",
        "message": "the parts add up to 90 bytes, not the declared size 100; they were discarded: start a new upload"}]
    assert await asset_of(client, tenant.key, asset["id"]) == {"status": "UPLOADING", "original": None}
    assert (await client.put(urls[1], content=b"y" * 50)).status_code == 404  # the parts are gone
    assert (await finish(client, tenant.key, asset["id"], etags))["errors"][0]["code"] == "NOT_FOUND"
    again = await start(client, tenant.key, asset["id"], MIN_PART_BYTES + 50, parts=2)  # S3's part sizes
    etags = await put_parts(client, [p["url"] for p in again["parts"]], [filler(MIN_PART_BYTES), b"y" * 50])
    assert (await finish(client, tenant.key, asset["id"], etags))["errors"] == []
    assert (await asset_of(client, tenant.key, asset["id"]))["original"] == {"size": MIN_PART_BYTES + 50}
    other = await create_asset(client, tenant.key, "n.bin")
    negative = await gql(client, tenant.key, START_SIZED, {"id": other["id"], "parts": 1, "size": -1}, expect_errors=True)
    assert negative.get("data") is None and "byte size" in negative["errors"][0]["message"]


async def test_sweeper_aborts_an_abandoned_local_upload(server, client, tenant):
    asset = await create_asset(client, tenant.key, "left.bin")
    started = await start(client, tenant.key, asset["id"], 20, parts=2)
    urls = [p["url"] for p in started["parts"]]
    await put_parts(client, urls[:1], [b"z" * 10])
    staged = server.settings.data_dir / "uploads" / started["uploadId"]
    assert staged.is_dir()
    # Within its TTL an upload is left alone.
    await sweep(server.settings, server.runtime.ports, ttl_s=3600)
    assert staged.is_dir() and (await asset_of(client, tenant.key, asset["id"]))["status"] == "UPLOADING"
    # A staged upload no row names (its transaction rolled back) is an orphan: it goes too.
    orphan = await server.runtime.ports.storage.start_multipart("t/x/a/y/original/orphan.bin", 1, 60)
    assert await sweep(server.settings, server.runtime.ports, ttl_s=0) >= 2
    assert not staged.exists() and not (server.settings.data_dir / "uploads" / orphan.upload_id).exists()
    assert await asset_of(client, tenant.key, asset["id"]) == {"status": "FAILED", "original": None}
    late = await client.put(urls[1], content=b"z" * 10)
    assert late.status_code == 404 and late.json()["error"]["code"] == "NOT_FOUND"
    finished = await finish(client, tenant.key, asset["id"], ['"a"', '"b"'])
    assert finished["errors"][0]["code"] == "CONFLICT"


# ---------------------------------------------------------------- S3 (moto) with TENANT_QUOTA_BYTES set
@pytest.fixture(scope="module")
async def s3_quota_server(tmp_path_factory):
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    moto.start()
    host, port = moto.get_host_and_port()
    api_port = free_port()
    settings = Settings.from_env({
        "DATA_DIR": str(tmp_path_factory.mktemp("data-s3-quota")), "PUBLIC_BASE_URL": f"http://127.0.0.1:{api_port}",
        "STORAGE": "s3", "S3_ENDPOINT_URL": f"http://{host}:{port}", "S3_BUCKET": "quota", "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1", "TENANT_QUOTA_BYTES": "20000000",
    })
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    server = ThreadedServer(app, api_port)
    server.start()
    try:
        yield app, f"http://127.0.0.1:{api_port}", f"http://{host}:{port}"
    finally:
        server.stop()
        moto.stop()


def _s3(endpoint: str):
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test")


async def test_sweeper_aborts_an_abandoned_s3_multipart_upload(s3_quota_server):
    app, base, endpoint = s3_quota_server
    runtime = app.state.runtime
    key = await _create_key(runtime.settings, "s3-tenant", False)
    part = os.urandom(5 * 1024 * 1024)  # S3's smallest non-last part
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        asset = await create_asset(client, key, "big.bin")
        # TENANT_QUOTA_BYTES applies to every tenant without its own quota: size is required, and checked.
        assert (await start(client, key, asset["id"], None))["errors"][0]["field"] == ["input", "size"]
        assert (await start(client, key, asset["id"], 20_000_001))["errors"][0]["code"] == "QUOTA_EXCEEDED"
        started = await start(client, key, asset["id"], len(part) * 2, parts=2)
        assert started["errors"] == []
        urls = [p["url"] for p in started["parts"]]
        await put_parts(client, urls[:1], [part])
        s3 = _s3(endpoint)
        orphan = s3.create_multipart_upload(Bucket="quota", Key="t/x/a/y/original/orphan.bin")["UploadId"]
        live = {u["UploadId"] for u in s3.list_multipart_uploads(Bucket="quota").get("Uploads", [])}
        assert live == {started["uploadId"], orphan}

        assert await sweep(runtime.settings, runtime.ports, ttl_s=0) == 2
        assert s3.list_multipart_uploads(Bucket="quota").get("Uploads", []) == []
        assert await asset_of(client, key, asset["id"]) == {"status": "FAILED", "original": None}
        late = await client.put(urls[1], content=part)
        assert late.status_code != 200  # S3 answers 404 NoSuchUpload (moto, 500 for the same missing upload)
        assert s3.list_multipart_uploads(Bucket="quota").get("Uploads", []) == []

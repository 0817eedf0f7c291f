"""STORAGE=s3 against an S3-compatible server on 127.0.0.1 (moto): presigned multipart upload, probe, downloads."""
from __future__ import annotations

import httpx
import pytest
from moto.server import ThreadedMotoServer

from app import create_app, migrate
from domain.settings import Settings
from tests.flows import FINISH, START, create_asset, put_parts, split, wait_asset
from tests.harness import ThreadedServer, free_port, gql
from tests.parts import padded


@pytest.fixture(scope="module")
async def s3_server(tmp_path_factory):
    import asyncio

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    moto.start()
    host, port = moto.get_host_and_port()
    api_port = free_port()
    data_dir = tmp_path_factory.mktemp("data-s3")
    settings = Settings.from_env({
        "DATA_DIR": str(data_dir), "PUBLIC_BASE_URL": f"http://127.0.0.1:{api_port}", "STORAGE": "s3",
        "S3_ENDPOINT_URL": f"http://{host}:{port}", "S3_BUCKET": "media", "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1", "BOOTSTRAP_API_KEY": "mg_s3_key",
    })
    await asyncio.to_thread(migrate, settings)
    app = create_app(settings)
    server = ThreadedServer(app, api_port)
    server.start()
    try:
        yield f"http://127.0.0.1:{api_port}", f"http://{host}:{port}"
    finally:
        server.stop()
        moto.stop()


async def test_presigned_multipart_upload_probe_and_download(s3_server, media):
    base, s3_endpoint = s3_server
    key = "mg_s3_key"
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        asset = await create_asset(client, key, "big.mp4")
        started = (await gql(client, key, START, {"id": asset["id"], "parts": 2}))["data"]["startUpload"]
        urls = [p["url"] for p in started["parts"]]
        assert all(u.startswith(s3_endpoint) and "X-Amz-Signature" in u and "partNumber=" in u for u in urls)
        source = padded(media["big_mp4"])  # every part but the last >= 5 MiB, as S3 requires
        etags = await put_parts(client, urls, split(source, 2))
        wrong = (await gql(client, key, FINISH, {"id": asset["id"], "etags": [etags[1], etags[0]]}))["data"]["finishUpload"]
        assert wrong["errors"][0]["field"] == ["input", "etags", "0"] and wrong["errors"][0]["code"] == "VALIDATION_FAILED"
        done = (await gql(client, key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]
        assert done["errors"] == []
        ready = await wait_asset(client, key, asset["id"])
        assert ready["status"] == "READY" and ready["durationMs"] == 2000 and ready["media"]["width"] == 640
        body = await gql(client, key, "query($id: ID!) { asset(id: $id) { original { url size } thumbnail { url } } }",
                         {"id": asset["id"]})
        original = body["data"]["asset"]["original"]
        assert original["size"] == source.stat().st_size
        assert original["url"].startswith(s3_endpoint)
        fetched = await client.get(original["url"])
        assert fetched.status_code == 200 and fetched.content == source.read_bytes()
        thumb = await client.get(body["data"]["asset"]["thumbnail"]["url"])
        assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"

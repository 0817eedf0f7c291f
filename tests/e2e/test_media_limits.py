"""Media over the deployment's limits fail their probe with MEDIA_LIMIT_EXCEEDED, through GraphQL and REST."""
from __future__ import annotations

import asyncio

import httpx
import pytest

from domain.assets import limits
from domain.errors import ErrorCode
from domain.settings import Settings
from tests.conftest import BACKENDS, serving
from tests.flows import probe_job, upload, wait_asset
from tests.rest_compat.helpers import bearer

SMALL = {"MAX_MEDIA_DURATION_S": "3", "MAX_VIDEO_PIXELS": "100000", "MAX_STREAMS": "4"}


@pytest.fixture(scope="module", params=BACKENDS)
async def strict(request, tmp_path_factory, idp, providers):
    async with serving(request.param, tmp_path_factory.mktemp(f"strict-{request.param}"), idp,
                       {**providers, **SMALL}) as running:
        yield running


async def _tenant_key(server) -> str:
    from tests.conftest import new_tenant

    return (await new_tenant(server)).key


async def test_uploads_over_a_limit_fail_their_probe_naming_it(strict, media):
    key = await _tenant_key(strict)
    async with httpx.AsyncClient(base_url=strict.base_url, timeout=60) as client:
        long_one, _ = await upload(client, key, media["mp4"])  # 4 s, over the 3 s limit
        large, _ = await upload(client, key, media["big_mp4"])  # 640x360: 230,400 pixels, over 100,000
        fine, _ = await upload(client, key, media["silent_mp4"])  # 2 s at 160x120
        long_one, large, fine = await asyncio.gather(*(wait_asset(client, key, a["id"]) for a in (long_one, large, fine)))
    for asset, limit in ((long_one, "MAX_MEDIA_DURATION_S"), (large, "MAX_VIDEO_PIXELS")):
        assert asset["status"] == "FAILED", asset
        error = probe_job(asset)["error"]
        assert error["code"] == "MEDIA_LIMIT_EXCEEDED" and limit in error["message"], error
    assert fine["status"] == "READY", fine


async def test_a_media_url_over_a_limit_fails_its_gateway_job_in_the_gateways_shape(strict, media_server):
    key = await _tenant_key(strict)
    async with httpx.AsyncClient(base_url=strict.base_url, timeout=60) as client:
        created = await client.post("/v1/transcriptions", headers=bearer(key), json={"data": {
            "type": "transcription-job", "attributes": {"input": {"type": "video", "url": f"{media_server}/clip.mp4"}}}})
        assert created.status_code == 202, created.text
        job_id = created.json()["data"]["id"]
        for _ in range(600):
            doc = (await client.get(f"/v1/transcriptions/{job_id}", headers=bearer(key))).json()["data"]
            if doc["attributes"]["status"] in {"completed", "failed"}:
                break
            await asyncio.sleep(0.2)
    assert doc["attributes"]["status"] == "failed", doc
    assert doc["attributes"]["error"]["code"] == "MEDIA_LIMIT_EXCEEDED"
    assert "MAX_MEDIA_DURATION_S" in doc["attributes"]["error"]["message"]


def _report(streams: int = 2, width: int = 320, height: int = 240) -> dict:
    video = {"codec_type": "video", "width": width, "height": height}
    return {"streams": [video] + [{"codec_type": "audio"}] * (streams - 1)}


def test_each_limit_is_named_and_zero_turns_one_off():
    settings = Settings.from_env({"DATA_DIR": "/tmp/mg-limits", **SMALL})
    with pytest.raises(limits.MediaLimitExceeded) as caught:
        limits.check(_report(streams=5), 1000, settings)
    assert caught.value.code == ErrorCode.MEDIA_LIMIT_EXCEEDED and "MAX_STREAMS" in caught.value.message
    with pytest.raises(limits.MediaLimitExceeded, match="MAX_VIDEO_PIXELS"):
        limits.check(_report(width=1920, height=1080), 1000, settings)
    with pytest.raises(limits.MediaLimitExceeded, match="MAX_MEDIA_DURATION_S"):
        limits.check(_report(), 3001, settings)
    limits.check(_report(), 3000, settings)  # at the limit is within it
    off = Settings.from_env({"DATA_DIR": "/tmp/mg-limits", "MAX_MEDIA_DURATION_S": "0", "MAX_VIDEO_PIXELS": "0",
                             "MAX_STREAMS": "0"})
    limits.check(_report(streams=99, width=20000, height=20000), 10**9, off)

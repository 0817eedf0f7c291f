"""REST helpers: bearer headers and the MediaCopilot upload flow over HTTP."""
from __future__ import annotations

import asyncio

import httpx

from tests.flows import split


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


async def mc_upload(client: httpx.AsyncClient, key: str, path, parts: int = 1, **create) -> dict:
    created = await client.post("/v1/assets", json={"filename": path.name, **create}, headers=bearer(key))
    assert created.status_code == 201, created.text
    asset = created.json()
    started = await client.post(f"/v1/assets/{asset['id']}/start_upload", json={"parts": parts}, headers=bearer(key))
    assert started.status_code == 200, started.text
    etags = []
    for part, chunk in zip(started.json()["parts"], split(path, parts)):
        put = await client.put(part["url"], content=chunk)
        etags.append(put.headers["etag"])
    finished = await client.post(f"/v1/assets/{asset['id']}/finish_upload", json={"etags": etags}, headers=bearer(key))
    assert finished.status_code == 200, finished.text
    return finished.json()


async def mc_wait_ready(client: httpx.AsyncClient, key: str, asset_id: str, timeout: float = 180) -> dict:
    for _ in range(int(timeout * 10)):
        got = (await client.get(f"/v1/assets/{asset_id}", headers=bearer(key))).json()
        if got["status"] in {"ready", "failed"}:
            return got
        await asyncio.sleep(0.1)
    raise AssertionError("asset never became ready")

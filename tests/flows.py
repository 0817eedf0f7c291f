"""Reusable client flows: create an asset, upload it in parts, wait for its probe."""
from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.harness import gql

CREATE = """mutation($input: CreateAssetInput!) { createAsset(input: $input) {
  asset { id filename externalId status } errors { field code message } } }"""
START = """mutation($id: ID!, $parts: Int!) { startUpload(input: {assetId: $id, parts: $parts}) {
  uploadId expiresAt parts { partNumber url } errors { field code message } } }"""
FINISH = """mutation($id: ID!, $etags: [String!]!) { finishUpload(input: {assetId: $id, etags: $etags}) {
  asset { id status } job { id kind status } errors { field code message } } }"""
ASSET = """query($id: ID!) { asset(id: $id) { id status durationMs filename
  media { container width height frameRate videoCodec bitrate streams }
  audioTracks { id index codec channels sampleRate language }
  thumbnail { contentType size url } waveform { contentType size url }
  jobs { totalCount edges { node { id kind status progress error { code message } } } } } }"""


def split(path: Path, parts: int) -> list[bytes]:
    data = path.read_bytes()
    size = -(-len(data) // parts)
    return [data[i * size:(i + 1) * size] for i in range(parts)]


async def create_asset(client: httpx.AsyncClient, key: str, filename: str = "clip.mp4", **extra) -> dict:
    body = await gql(client, key, CREATE, {"input": {"filename": filename, **extra}})
    payload = body["data"]["createAsset"]
    assert payload["errors"] == [], payload
    return payload["asset"]


async def put_parts(client: httpx.AsyncClient, urls: list[str], chunks: list[bytes]) -> list[str]:
    etags = []
    for url, chunk in zip(urls, chunks):
        response = await client.put(url, content=chunk)
        assert response.status_code == 200, response.text
        etags.append(response.headers["etag"])
    return etags


async def upload(client: httpx.AsyncClient, key: str, path: Path, parts: int = 1, filename: str | None = None) -> tuple[dict, dict]:
    """Returns (asset, probe job) right after finishUpload."""
    asset = await create_asset(client, key, filename or path.name)
    started = (await gql(client, key, START, {"id": asset["id"], "parts": parts}))["data"]["startUpload"]
    assert started["errors"] == []
    etags = await put_parts(client, [p["url"] for p in started["parts"]], split(path, parts))
    finished = (await gql(client, key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]
    assert finished["errors"] == [], finished
    return finished["asset"], finished["job"]


async def wait_asset(client: httpx.AsyncClient, key: str, asset_id: str, statuses=("ready", "failed"), timeout=180) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        asset = (await gql(client, key, ASSET, {"id": asset_id}))["data"]["asset"]
        if asset["status"].lower() in statuses:
            return asset
        assert asyncio.get_running_loop().time() < deadline, f"asset stuck in {asset['status']}"
        await asyncio.sleep(0.1)


async def ready_asset(client, key, path: Path, parts: int = 1) -> dict:
    asset, _ = await upload(client, key, path, parts)
    return await wait_asset(client, key, asset["id"])


def probe_job(asset: dict) -> dict:
    """The asset's probe job (the pipeline may have queued others after it)."""
    return next(e["node"] for e in asset["jobs"]["edges"] if e["node"]["kind"] == "PROBE")

"""Media input confinement end to end: a file that names another file (an HLS playlist under a media name, an
ffconcat script, an MP4 data reference, a playlist behind a URL) fails its job with UNSUPPORTED_MEDIA, and tenant
B keeps nothing of tenant A's speech: no tracks, no thumbnail or waveform, no transcript, no derived file."""
from __future__ import annotations

import asyncio
import os
import struct
import uuid
from pathlib import Path

import httpx
import pytest

from tests.conftest import new_tenant
from tests.flows import probe_job, ready_asset, upload, wait_asset
from tests.harness import gql
from tests.media import ffmpeg

A_WORDS = {"council", "budget", "transport", "buses", "spring", "businesses", "visitors"}  # in tests.media.MONOLOGUE
OUTPUTS = """query($id: ID!) { asset(id: $id) { status audioTracks { id } thumbnail { size } waveform { size }
  transcriptions { segments { text } }
  jobs { edges { node { kind status error { code message } } } } } }"""
TRANSCRIBE = """mutation($input: TranscribeInput!) { transcribe(input: $input) {
  job { id } errors { code message } } }"""
JOB = """query($id: ID!) { job(id: $id) { status error { code message } asset { id } } }"""


@pytest.fixture(scope="module")
async def spoken(server, media, tmp_path_factory) -> dict:
    """Tenant A's spoken mp3, uploaded once per backend: its bytes and where its original lies on disk."""
    folder = tmp_path_factory.mktemp("confinement")
    talk = folder / "talk.mp3"
    ffmpeg("-i", str(media["speech_mp4"]), "-vn", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "48k", str(talk))
    owner = await new_tenant(server)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
        asset = await ready_asset(http, owner.key, talk)
    assert asset["status"] == "READY", asset
    [original] = Path(server.settings.data_dir).glob(f"**/a/{asset['id']}/original/*")
    assert original.read_bytes() == talk.read_bytes()
    # Keys are t/<tenant>/a/<asset>/original/<name> (domain/assets/service.py): B's original sits as deep as A's,
    # so this climbs from any other tenant's original folder to A's file.
    relative = os.path.relpath(original, original.parents[4] / "tenant-b" / "a" / "asset-b" / "original")
    return {"path": original, "relative": relative, "bytes": talk.read_bytes(), "folder": folder}


def playlist(segment: str) -> bytes:
    return (f"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:60\n#EXT-X-MEDIA-SEQUENCE:0\n"
            f"#EXTINF:60.0,\n{segment}\n#EXT-X-ENDLIST\n").encode()


# ---------------------------------------------------------------- MP4s whose data reference names another file
def _alias(path: str, up: int, down: int) -> bytes:
    """A Macintosh alias ('alis') dref entry laid out as libavformat reads it: levels up, levels down, the path."""
    body = bytes(10 + 1 + 27 + 12 + 1 + 63 + 16) + struct.pack(">HH", up, down) + bytes(16)
    raw = path.encode() + (b"\0" if len(path.encode()) % 2 else b"")
    body += struct.pack(">hH", 2, len(raw)) + raw + struct.pack(">hH", -1, 0)
    return struct.pack(">I4sI", 12 + len(body), b"alis", 0) + body  # flags 0: the data is not in this file


def _url(location: str) -> bytes:
    raw = location.encode() + b"\0"
    return struct.pack(">I4sI", 12 + len(raw), b"url ", 0) + raw


def with_dref(mp4: bytes, entry: bytes) -> bytes:
    """The ffmpeg-made mp4 (moov after mdat, so chunk offsets stay valid) with its dref entry replaced, sizes fixed."""
    def walk(buf: bytes) -> bytes:
        out, i = b"", 0
        while i < len(buf):
            size, kind = struct.unpack(">I4s", buf[i:i + 8])
            body = buf[i + 8:i + size]
            if kind in {b"moov", b"trak", b"mdia", b"minf", b"dinf"}:
                body = walk(body)
            elif kind == b"dref":
                body = struct.pack(">II", 0, 1) + entry
            out += struct.pack(">I", 8 + len(body)) + kind + body
            i += size
        return out
    changed = walk(mp4)
    assert changed != mp4 and entry in changed
    return changed


def dref_mp4(spoken: dict, tone: Path, how: str) -> bytes:
    made = spoken["folder"] / "made.m4a"
    if not made.exists():
        ffmpeg("-i", str(tone), "-c:a", "aac", "-b:a", "48k", str(made))
    if how == "url":
        entry = _url(str(spoken["path"]))
    else:
        levels = len(Path(spoken["relative"]).parts) - spoken["relative"].count("..")
        entry = _alias(str(spoken["path"]), spoken["relative"].count("..") + 1, levels)
    return with_dref(made.read_bytes(), entry)


# ---------------------------------------------------------------- what B ends with
async def assert_nothing_of_a(server, client, key: str, asset_id: str, spoken: dict, uploaded: bytes | None) -> dict:
    asset = (await gql(client, key, OUTPUTS, {"id": asset_id}))["data"]["asset"]
    assert asset["status"] == "FAILED", asset
    assert asset["audioTracks"] == [] and asset["thumbnail"] is None and asset["waveform"] is None, asset
    words = {w.strip(".,").lower() for t in asset["transcriptions"] for s in t["segments"] for w in s["text"].split()}
    assert not words & A_WORDS and asset["transcriptions"] == [], asset["transcriptions"]
    stored = [p for p in Path(server.settings.data_dir).glob(f"**/a/{asset_id}/**/*") if p.is_file()]
    assert all(p.parent.name == "original" for p in stored), stored  # no derived file, no track, no transcript file
    for path in stored:
        data = path.read_bytes()
        assert spoken["bytes"][4096:8192] not in data
        if uploaded is not None:
            assert data == uploaded
    return asset


async def refused_upload(server, client, key: str, spoken: dict, body: bytes, filename: str, tmp_path: Path) -> dict:
    path = tmp_path / filename
    path.write_bytes(body)
    asset, _ = await upload(client, key, path, parts=1, filename=filename)
    done = await wait_asset(client, key, asset["id"])
    job = probe_job(done)
    assert (done["status"], job["status"]) == ("FAILED", "FAILED"), job
    assert job["error"]["code"] == "UNSUPPORTED_MEDIA", job["error"]
    return await assert_nothing_of_a(server, client, key, asset["id"], spoken, body)


@pytest.mark.parametrize("filename", ["evil.mp4", "evil.ts", "evil.mp3", "evil.m4a"])
@pytest.mark.parametrize("reach", ["relative", "absolute"])
async def test_a_playlist_renamed_as_media_cannot_read_another_tenants_original(server, client, tenant, spoken,
                                                                                 filename, reach, tmp_path):
    segment = spoken["relative"] if reach == "relative" else str(spoken["path"])
    asset = await refused_upload(server, client, tenant.key, spoken, playlist(segment), filename, tmp_path)
    assert "hls" in probe_job(asset)["error"]["message"]


async def test_an_ffconcat_script_is_refused(server, client, tenant, spoken, tmp_path):
    script = f"ffconcat version 1.0\nfile '{spoken['path']}'\nfile '{spoken['relative']}'\n".encode()
    await refused_upload(server, client, tenant.key, spoken, script, "list.mp4", tmp_path)


@pytest.mark.parametrize("how", ["url", "alis"])
async def test_an_mp4_whose_data_reference_names_another_file_is_refused(server, client, tenant, spoken, media, how,
                                                                         tmp_path):
    body = dref_mp4(spoken, media["wav"], how)
    await refused_upload(server, client, tenant.key, spoken, body, "referenced.mp4", tmp_path)


async def test_a_url_serving_a_playlist_is_refused(server, client, tenant, spoken, media, media_server):
    # The shared media server serves its folder; the playlist gets a name no other test uses.
    name = f"confinement-{uuid.uuid4().hex[:8]}.mp4"
    (next(iter(media.values())).parent / name).write_bytes(playlist(str(spoken["path"])))
    queued = (await gql(client, tenant.key, TRANSCRIBE, {"input": {"url": f"{media_server}/{name}"}}))["data"]
    assert queued["transcribe"]["errors"] == [], queued
    job_id = queued["transcribe"]["job"]["id"]
    for _ in range(1200):
        job = (await gql(client, tenant.key, JOB, {"id": job_id}))["data"]["job"]
        if job["status"] in {"COMPLETED", "FAILED"}:
            break
        await asyncio.sleep(0.1)
    assert job["status"] == "FAILED" and job["error"]["code"] == "UNSUPPORTED_MEDIA", job
    await wait_asset(client, tenant.key, job["asset"]["id"])
    await assert_nothing_of_a(server, client, tenant.key, job["asset"]["id"], spoken, None)


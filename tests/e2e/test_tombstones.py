"""Deletions leave tombstones and the reconciler removes what they name: files of deleted assets, a render's output
whose clip went while it rendered, and removals that failed (retried by a later sweep). On SQLite, PostgreSQL and S3.

The jobs here run on a worker runtime of the test's own (the server runs none), so the test knows when the render
has really finished before it looks at storage."""
from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import uuid
from datetime import timedelta

import boto3
import httpx
import pytest
import sqlalchemy as sa
from filelock import FileLock

import workers.handlers  # noqa: F401  (registers the job handlers run_job dispatches to)
from domain.clips.models import Clip
from domain.db import UnitOfWork, make_engine, make_sessionmaker, utcnow
from domain.storage.s3 import S3Storage
from domain.tombstones import repository as tombstone_repo
from domain.tombstones import service as tombstones
from tests.conftest import BACKENDS, _create_database, _drop_database, new_tenant, serving
from tests.flows import ASSET, FINISH, START, create_asset, put_parts
from tests.harness import free_port, gql
from workers.reconciler import reconcile
from workers.runner import run_job
from workers.runtime import WorkerRuntime

DELETE = "mutation($id: ID!) { deleteAsset(input: {id: $id}) { deletedId errors { code } } }"
CLIP = """mutation($input: CreateClipsInput!) { createClips(input: $input) {
  clips { id } jobs { id } errors { field code message } } }"""
JOB = "query($id: ID!) { job(id: $id) { status stage progress error { code message } } }"


@pytest.fixture(scope="module", params=BACKENDS + ["s3"])
async def bench(request, tmp_path_factory, idp, providers):
    """A server that runs no jobs itself (SQLite, PostgreSQL, or SQLite with S3 storage on moto), and a worker
    runtime of the test's own on the same database and storage."""
    extra = {"EMBEDDED_WORKERS": "false"}
    db_name, moto = None, None
    if request.param == "production":
        db_name = f"mg_test_{uuid.uuid4().hex[:10]}"
        extra["DATABASE_URL"] = await _create_database(db_name)
    if request.param == "s3":
        from moto.server import ThreadedMotoServer

        moto = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
        moto.start()
        host, port = moto.get_host_and_port()
        extra.update(STORAGE="s3", S3_ENDPOINT_URL=f"http://{host}:{port}", S3_BUCKET="tombstones",
                     AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1")
    try:
        async with serving("embedded", tmp_path_factory.mktemp(f"tomb-{request.param}"), idp, providers,
                           extra) as server:
            runtime = WorkerRuntime(server.runtime.ports)
            try:
                yield server, runtime
            finally:
                runtime.close()
    finally:
        if moto is not None:
            moto.stop()
        if db_name is not None:
            await _drop_database(db_name)


def _long_video(media: dict):
    """A 30 s 640x360 clip with sound, made once per run beside the other media: long enough to catch it rendering."""
    folder = next(iter(media.values())).parent
    target = folder / "long-30s.mp4"
    with FileLock(str(target) + ".lock"):
        if not target.exists():
            tmp = folder / "long-30s.tmp.mp4"
            subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                            "testsrc2=duration=30:size=640x360:rate=25", "-f", "lavfi", "-i", "sine=duration=30",
                            "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(tmp)],
                           check=True, timeout=300)
            tmp.replace(target)
    return target


async def _run(runtime: WorkerRuntime, job_id: str) -> None:
    await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(run_job(runtime, job_id), runtime.loop))


async def _ready_asset(server, runtime, http, key, path) -> dict:
    asset = await create_asset(http, key, path.name)
    started = (await gql(http, key, START, {"id": asset["id"], "parts": 1}))["data"]["startUpload"]
    etags = await put_parts(http, [started["parts"][0]["url"]], [path.read_bytes()])
    finished = (await gql(http, key, FINISH, {"id": asset["id"], "etags": etags}))["data"]["finishUpload"]
    assert finished["errors"] == [], finished
    await _run(runtime, finished["job"]["id"])  # the probe
    ready = (await gql(http, key, ASSET, {"id": asset["id"]}))["data"]["asset"]
    assert ready["status"] == "READY", ready
    return ready


def stored(server, asset_id: str) -> list[str]:
    """Every object in storage under the asset's prefix, read from the storage itself."""
    settings = server.settings
    if settings.storage == "s3":
        s3 = boto3.client("s3", endpoint_url=settings.s3_endpoint_url, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=settings.s3_bucket)
        keys = [obj["Key"] for page in pages for obj in page.get("Contents", [])]
    else:
        root = settings.data_dir / "files"
        keys = [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]
    return sorted(k for k in keys if f"/a/{asset_id}/" in k)


async def _sessionmaker_call(server, fn):
    engine = make_engine(server.settings.database_url)
    try:
        return await fn(make_sessionmaker(engine))
    finally:
        await engine.dispose()


async def _pending(server, tenant_id=None) -> list:
    async def read(maker):
        async with UnitOfWork(maker) as uow:
            return await tombstone_repo.pending(uow.session, tenant_id)
    return await _sessionmaker_call(server, read)


async def _wait_stage(http, key, job_id: str, stage: str) -> dict:
    for _ in range(3000):
        job = (await gql(http, key, JOB, {"id": job_id}))["data"]["job"]
        if job["stage"] == stage or job["status"] in {"COMPLETED", "FAILED", "CANCELLED"}:
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} never reached {stage}")


async def _render(server, runtime, http, key, asset_id) -> tuple[str, str, asyncio.Future]:
    made = (await gql(http, key, CLIP, {"input": {"assetId": asset_id, "clips": [
        {"startMs": 0, "endMs": 30000, "aspectRatioX": 9, "aspectRatioY": 16}]}}))["data"]["createClips"]
    assert made["errors"] == [], made
    job_id, clip_id = made["jobs"][0]["id"], made["clips"][0]["id"]
    render = asyncio.ensure_future(_run(runtime, job_id))
    job = await _wait_stage(http, key, job_id, "rendering")
    assert job["status"] == "RUNNING" and job["stage"] == "rendering", job
    return job_id, clip_id, render


async def test_deleting_an_asset_removes_its_files_and_spares_other_tenants(bench, media):
    server, runtime = bench
    owner, other = await new_tenant(server), await new_tenant(server)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
        asset = await _ready_asset(server, runtime, http, owner.key, media["wav"])
        files = stored(server, asset["id"])
        assert any("/original/" in k for k in files) and any("waveform" in k for k in files), files
        # Another tenant's id is not found: nothing is deleted or tombstoned.
        theirs = (await gql(http, other.key, DELETE, {"id": asset["id"]}))["data"]["deleteAsset"]
        assert theirs == {"deletedId": None, "errors": [{"code": "NOT_FOUND"}]}
        assert stored(server, asset["id"]) == files
        deleted = (await gql(http, owner.key, DELETE, {"id": asset["id"]}))["data"]["deleteAsset"]
        assert deleted == {"deletedId": asset["id"], "errors": []}
    await _sessionmaker_call(server, lambda maker: reconcile(maker, server.runtime.ports))
    assert stored(server, asset["id"]) == []
    assert [t.key for t in await _pending(server) if asset["id"] in t.key] == []


async def test_a_removal_that_fails_is_retried_by_a_later_sweep(bench, tmp_path):
    server, _ = bench
    ports = server.runtime.ports
    stray = f"t/{uuid.uuid4()}/a/{uuid.uuid4()}/derived/stray.bin"  # an object whose rows are gone
    (tmp_path / "stray.bin").write_bytes(b"left behind")
    await ports.storage.put_file(stray, tmp_path / "stray.bin", "application/octet-stream")
    later = utcnow() + timedelta(days=1)  # due only for this test's sweeps, never for the server's own

    async def scenario(maker):
        async with UnitOfWork(maker) as uow:
            row = tombstones.bury(uow, None, stray)
            row.due_at = later
        # Storage unreachable (a real S3 client against a closed port): the row stays, with the reason and a backoff.
        dead = S3Storage("gone", endpoint_url=f"http://127.0.0.1:{free_port()}", region="us-east-1",
                         access_key="x", secret_key="x", tmp_dir=tmp_path / "s3tmp")
        failed = await tombstones.remove(maker, dataclasses.replace(ports, storage=dead), now=later)
        async with UnitOfWork(maker) as uow:
            [kept] = [t for t in await tombstone_repo.pending(uow.session) if t.key == stray]
        early = await tombstones.remove(maker, ports, now=later + timedelta(seconds=1))
        done = await reconcile(maker, ports, now=later + timedelta(hours=2))
        return failed, kept, early, done

    failed, kept, early, done = await _sessionmaker_call(server, scenario)
    assert failed == (0, 1) and kept.attempts == 1 and kept.last_error
    assert kept.due_at >= later + timedelta(seconds=server.settings.reconcile_retry_s)
    assert early == (0, 0)  # not due again yet
    assert done[0] >= 1 and done[1] == 0
    assert [t for t in await _pending(server) if t.key == stray] == []
    assert not await ports.storage.exists(stray)


async def test_deleting_an_asset_while_its_clip_renders_leaves_nothing_behind(bench, media):
    server, runtime = bench
    owner = await new_tenant(server)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
        asset = await _ready_asset(server, runtime, http, owner.key, _long_video(media))
        job_id, _, render = await _render(server, runtime, http, owner.key, asset["id"])
        deleted = (await gql(http, owner.key, DELETE, {"id": asset["id"]}))["data"]["deleteAsset"]
        assert deleted["errors"] == []
        await asyncio.wait_for(render, 300)  # the worker is done with it: nothing can be written after this
        job = (await gql(http, owner.key, JOB, {"id": job_id}))["data"]["job"]
        assert job["status"] == "CANCELLED" and job["error"]["message"] == "its asset was deleted", job
    await _sessionmaker_call(server, lambda maker: reconcile(maker, server.runtime.ports))
    assert stored(server, asset["id"]) == []


async def test_a_render_that_finishes_after_its_clip_is_gone_tombstones_its_output(bench, media):
    server, runtime = bench
    owner = await new_tenant(server)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
        asset = await _ready_asset(server, runtime, http, owner.key, _long_video(media))
        before = stored(server, asset["id"])
        job_id, clip_id, render = await _render(server, runtime, http, owner.key, asset["id"])

        async def drop_clip(maker):  # the row goes by a path that does not stop the job (as a cascade would)
            async with UnitOfWork(maker) as uow:
                await uow.session.execute(sa.delete(Clip).where(Clip.id == uuid.UUID(clip_id)))

        await _sessionmaker_call(server, drop_clip)
        await asyncio.wait_for(render, 300)
        job = (await gql(http, owner.key, JOB, {"id": job_id}))["data"]["job"]
        assert job["status"] == "FAILED" and job["error"]["code"] == "CANCELLED", job
    await _sessionmaker_call(server, lambda maker: reconcile(maker, server.runtime.ports))
    assert stored(server, asset["id"]) == before  # the clip's file is gone; the asset's own files stay
    assert not any(clip_id in k for k in stored(server, asset["id"]))

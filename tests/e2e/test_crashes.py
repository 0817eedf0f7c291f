"""Tested the way it fails: `serve` and two `worker` processes on PostgreSQL and a Redis of the test's own, broken as
an operator breaks them (SIGKILL a worker mid-job, restart Redis mid-job, restart the API under a subscriber, a job
that kills every worker that runs it, a job that hangs). Every job's effects land once. Short heartbeat and sweep
settings keep it to seconds; `python -m bench reliability` measures the same with the default settings."""
from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import websockets

from app import _create_key
from domain.db import UnitOfWork
from domain.events.models import JobEvent
from domain.settings import Settings
from domain.transcripts.models import Transcription
from tests import flows
from tests.conftest import BACKENDS
from tests.harness import Subscription, gql
from tests.media import ffmpeg
from tests.processes import Hanging, Receiver, cluster, cluster_env, require_tools
from tests.workers.by_hand import Database

if "production" in BACKENDS:
    require_tools()  # no redis-server: fail loudly, never skip

JOBS = "query($id: ID!, $kinds: [JobKind!]) { asset(id: $id) { jobs(kinds: $kinds) { edges { node { id } } } } }"
TRANSCRIBE = """mutation($input: TranscribeInput!) { transcribe(input: $input) { job { id status }
  errors { field code message } } }"""
TRANSLATE = """mutation($input: TranslateTextInput!) { translateText(input: $input) { job { id status }
  errors { field code message } } }"""
CLIPS = """mutation($input: CreateClipsInput!) { createClips(input: $input) { clips { id } jobs { id kind }
  errors { field code message } } }"""
UPDATED = """subscription($id: ID!, $after: Int) { jobUpdated(id: $id, after: $after) { id status stage progress
  sequence } }"""
EVENTS = "subscription($after: Int) { jobEvents(after: $after) { id status progress sequence } }"


@pytest.fixture(scope="module")
async def crash(tmp_path_factory, libre):
    env = cluster_env(tmp_path_factory.mktemp("crash"), JOB_HEARTBEAT_TTL_S=5, REAPER_INTERVAL_S=1, OUTBOX_GRACE_S=1,
                      JOB_DEADLINES="text_translation=3", WORKER_GRACE_S=5, RATE_LIMIT_PER_MINUTE=0,
                      LIBRETRANSLATE_URL=libre.url, LIBRETRANSLATE_API_KEY="test-key", TRANSLATION_PROVIDERS="",
                      PROVIDER_ATTEMPTS=2, PROVIDER_TIMEOUT_S=3)
    async with cluster(env, workers=2) as running:
        running.db = Database(Settings.from_env(running.env).database_url)
        try:
            yield running
        finally:
            await running.db.close()


@pytest.fixture
async def key(crash) -> str:
    return await _create_key(Settings.from_env(crash.env), f"crash-{uuid.uuid4().hex[:8]}", False)


@pytest.fixture
async def client(crash):
    async with httpx.AsyncClient(base_url=crash.base_url, timeout=60) as http:
        yield http


async def _until(crash, job_id: str, done, timeout: float = 240):
    """Poll the job row (as an operator's query would) until `done(job)`; on timeout, say what the logs say of it."""
    deadline = time.monotonic() + timeout
    while True:
        job = await crash.db.job(uuid.UUID(job_id))
        if done(job):
            return job
        assert time.monotonic() < deadline, (f"job {job_id} stayed {job.status} ({job.stage}, {job.attempts}, "
                                             f"dispatched {job.dispatched_at}); logs: {crash.story(job_id)}")
        await asyncio.sleep(0.05)


async def _rows(db: Database, model, *where) -> list:
    async with UnitOfWork(db.sessionmaker) as uow:
        return list((await uow.session.execute(sa.select(model).where(*where))).scalars())


async def _job_of(client, key: str, asset_id: str, kind: str, timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    while True:
        edges = (await gql(client, key, JOBS, {"id": asset_id, "kinds": [kind]}))["data"]["asset"]["jobs"]["edges"]
        if edges:
            return edges[0]["node"]["id"]
        assert time.monotonic() < deadline, f"no {kind} job for asset {asset_id}"
        await asyncio.sleep(0.2)


async def _kill_and_recover(crash, job_id: str) -> float:
    """SIGKILL the job's worker, start a replacement (two workers stay up), and return the seconds from the death to
    the job running again on another worker (printed; the bench, not the test, judges the figure)."""
    before = await crash.db.job(uuid.UUID(job_id))
    await crash.kill_holder(job_id)
    died = time.monotonic()
    crash.start_worker()
    await _until(crash, job_id, lambda j: j.status != "running" or j.claimed_by != before.claimed_by)
    await _until(crash, job_id, lambda j: j.status in {"running", "completed", "failed"} and
                 j.attempts > before.attempts)
    recovery = time.monotonic() - died
    print(f"job {job_id}: running again {recovery:.1f} s after its worker died")
    return recovery


def _statuses(payloads: list[dict], field: str) -> list[str]:
    return [p["data"][field]["status"] for p in payloads]


async def test_a_worker_killed_mid_transcription_transcribes_once(crash, key, client, media):
    asset, _ = await flows.upload(client, key, media["shots_mp4"])
    job_id = await _job_of(client, key, asset["id"], "TRANSCRIPTION")
    async with Subscription(crash, key, UPDATED, {"id": job_id, "after": 0}) as sub:
        await _until(crash, job_id, lambda j: j.status == "running" and j.stage == "transcribing")
        await _kill_and_recover(crash, job_id)
        seen = await sub.collect_until(lambda p: p["data"]["jobUpdated"]["status"] in {"COMPLETED", "FAILED"},
                                       timeout=300)
    done = await crash.db.job(uuid.UUID(job_id))
    assert done.status == "completed" and done.attempts >= 2, done.error_message
    assert len(await _rows(crash.db, Transcription, Transcription.asset_id == uuid.UUID(asset["id"]))) == 1
    assert len(await crash.db.usage(done.id)) == 1
    statuses = _statuses(seen, "jobUpdated")
    assert statuses[-1] == "COMPLETED" and statuses.count("COMPLETED") == 1 and "QUEUED" in statuses[1:]
    sequences = [p["data"]["jobUpdated"]["sequence"] for p in seen]
    assert sequences == sorted(set(sequences))


@pytest.fixture(scope="module")
def render_source(tmp_path_factory) -> Path:
    """A silent 720p video (no transcription ahead of the render), long enough to be caught mid-render."""
    out = tmp_path_factory.mktemp("render") / "wide.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-t", "12", "-c:v", "libx264", "-preset",
           "ultrafast", "-pix_fmt", "yuv420p", str(out))
    return out


async def test_a_worker_killed_mid_render_leaves_one_file(crash, key, client, render_source):
    asset, _ = await flows.upload(client, key, render_source)
    assert (await flows.wait_asset(client, key, asset["id"], timeout=240))["status"] == "READY"
    made = (await gql(client, key, CLIPS, {"input": {"assetId": asset["id"], "clips": [
        {"startMs": 0, "endMs": 12000, "aspectRatioX": 9, "aspectRatioY": 16}]}}))["data"]["createClips"]
    assert made["errors"] == [], made
    [clip], [job] = made["clips"], made["jobs"]
    await _until(crash, job["id"], lambda j: j.status == "running" and j.stage == "rendering")
    await _kill_and_recover(crash, job["id"])
    done = await _until(crash, job["id"], lambda j: j.status in {"completed", "failed"}, timeout=300)
    assert done.status == "completed", done.error_message
    tenant = done.tenant_id
    folder = crash.data_dir / "files" / "t" / str(tenant) / "a" / asset["id"] / "clips"
    assert [p.name for p in folder.rglob("*") if p.is_file()] == [f"{clip['id']}.mp4"]
    assert len(await crash.db.usage(done.id)) == 1


async def test_a_redis_restart_mid_job_delays_nothing_twice(crash, key, client, media_server):
    receiver = Receiver()
    try:
        async with Subscription(crash, key, EVENTS, {"after": 0}) as sub:
            made = (await gql(client, key, TRANSCRIBE, {"input": {
                "url": f"{media_server}/slow/monologue.wav", "mediaType": "AUDIO",
                "webhook": {"url": receiver.url}}}))["data"]["transcribe"]
            assert made["errors"] == [], made
            job_id = made["job"]["id"]
            await _until(crash, job_id, lambda j: j.status == "running")
            crash.redis.stop()
            try:
                # A mutation during the outage answers success; its job runs once Redis is back.
                during = (await gql(client, key, TRANSCRIBE, {"input": {"url": f"{media_server}/monologue.wav",
                                                                        "mediaType": "AUDIO"}}))
                during = during["data"]["transcribe"]
                assert during["errors"] == [] and during["job"]["status"] == "QUEUED", during
                await asyncio.sleep(3)
            finally:
                crash.redis.start()
            ids = {job_id, during["job"]["id"]}
            finished: dict[str, str] = {}

            def both_done(payload: dict) -> bool:
                event = payload["data"]["jobEvents"]
                if event["id"] in ids and event["status"] in {"COMPLETED", "FAILED", "CANCELLED"}:
                    finished[event["id"]] = event["status"]
                return finished.keys() == ids

            seen = [p["data"]["jobEvents"] for p in await sub.collect_until(both_done, timeout=300)]
        errors = [(await crash.db.job(uuid.UUID(ident))).error_message for ident in ids]
        assert finished == dict.fromkeys(ids, "COMPLETED"), (finished, errors)
        for ident in ids:
            assert (await crash.db.job(uuid.UUID(ident))).status == "completed"
        assert len(await crash.db.usage(uuid.UUID(job_id))) == 1
        sequences = [e["sequence"] for e in seen]
        assert sequences == sorted(set(sequences))
        deadline = time.monotonic() + 120
        while ("transcription.completed" not in {event for _, event, _ in receiver.got}
               and time.monotonic() < deadline):
            await asyncio.sleep(0.2)
        await asyncio.sleep(4)  # several more sweeps: nothing is posted again
        webhook_ids = [ident for ident, _, _ in receiver.got]
        assert len(webhook_ids) == len(set(webhook_ids)), receiver.got
        assert [event for _, event, _ in receiver.got].count("transcription.completed") == 1, receiver.got
    finally:
        receiver.stop()


async def test_an_api_restart_under_a_subscriber_misses_nothing(crash, key, client, media_server):
    async with Subscription(crash, key, EVENTS, {"after": 0}) as sub:
        made = (await gql(client, key, TRANSCRIBE, {"input": {"url": f"{media_server}/slow/monologue.wav",
                                                              "mediaType": "AUDIO"}}))["data"]["transcribe"]
        job_id = made["job"]["id"]
        first = await sub.collect_until(lambda p: p["data"]["jobEvents"]["id"] == job_id)
        last = first[-1]["data"]["jobEvents"]["sequence"]
        await crash.stop_serve()  # SIGTERM: the socket closes; the job runs on in the workers meanwhile
        with pytest.raises(websockets.ConnectionClosed):
            while True:
                await sub.next(timeout=60)
    await crash.start_serve()
    async with Subscription(crash, key, EVENTS, {"after": last}) as sub:
        resumed = await sub.collect_until(lambda p: p["data"]["jobEvents"]["id"] == job_id and
                                          p["data"]["jobEvents"]["status"] in {"COMPLETED", "FAILED"}, timeout=300)
        fence = (await gql(client, key, TRANSLATE, {"input": {"content": "Good evening.", "targetLanguage": "es"}}))
        fence_id = fence["data"]["translateText"]["job"]["id"]
        resumed += await sub.collect_until(lambda p: p["data"]["jobEvents"]["id"] == fence_id, timeout=120)
    events = [p["data"]["jobEvents"] for p in resumed]
    sequences = [e["sequence"] for e in events]
    assert sequences == list(range(last + 1, last + 1 + len(events)))  # in order, nothing twice, no gap
    logged = await _rows(crash.db, JobEvent, JobEvent.sequence > last, JobEvent.sequence <= sequences[-1],
                         JobEvent.tenant_id == (await crash.db.job(uuid.UUID(job_id))).tenant_id)
    assert sorted(e.sequence for e in logged) == sequences  # every event the log holds, and only those
    done = await crash.db.job(uuid.UUID(job_id))
    assert [e["status"] for e in events if e["id"] == job_id][-1] == "COMPLETED", (done.error_code, done.error_message)


async def test_a_poison_job_fails_after_its_attempts_and_a_hung_one_at_its_deadline(crash, key, client):
    hanging = Hanging()
    try:
        made = (await gql(client, key, TRANSCRIBE, {"input": {"url": f"{hanging.url}/poison.wav",
                                                              "mediaType": "AUDIO"}}))["data"]["transcribe"]
        poison = made["job"]["id"]
        hung = (await gql(client, key, TRANSLATE, {"input": {"type": "DOCUMENT", "url": f"{hanging.url}/notes.txt",
                                                             "sourceLanguage": "en", "targetLanguage": "de"}}))
        hung = hung["data"]["translateText"]["job"]["id"]
        attempts = Settings.from_env(crash.env).job_max_attempts
        for attempt in range(1, attempts + 1):  # every worker that runs it dies
            await _until(crash, poison, lambda j, n=attempt: j.status == "running" and j.attempts == n)
            await crash.kill_holder(poison)
            crash.start_worker()
        failed = await _until(crash, poison, lambda j: j.status != "running", timeout=120)
        assert (failed.status, failed.error_code, failed.attempts) == ("failed", "WORKER_LOST", attempts)
        await asyncio.sleep(5)  # several reaper and outbox sweeps: it is never queued or claimed again
        again = await crash.db.job(failed.id)
        assert (again.status, again.attempts, again.version) == ("failed", attempts, failed.version)

        late = await _until(crash, hung, lambda j: j.status in {"completed", "failed"}, timeout=120)
        assert (late.status, late.error_code, late.attempts) == ("failed", "DEADLINE_EXCEEDED", 1)
    finally:
        hanging.stop()


async def test_a_job_a_killed_worker_had_fetched_but_not_started_runs_within_a_minute(tmp_path, libre):
    """One long thread, busy with a hanging job, while its process has already fetched a high-priority job: the
    process dies, and the fetched message (in its Redis ack set) goes back to the queue once Redis maintenance finds
    the process dead. With Dramatiq's defaults that took minutes (the outbox resends after ten)."""
    import redis

    env = cluster_env(tmp_path, WORKER_THREADS=1, JOB_HEARTBEAT_TTL_S=5, REAPER_INTERVAL_S=1, OUTBOX_GRACE_S=1,
                      RATE_LIMIT_PER_MINUTE=0, LIBRETRANSLATE_URL=libre.url, LIBRETRANSLATE_API_KEY="test-key",
                      TRANSLATION_PROVIDERS="")
    hanging = Hanging()
    async with cluster(env, workers=1) as running:
        running.db = Database(Settings.from_env(running.env).database_url)
        key = await _create_key(Settings.from_env(running.env), f"stranded-{uuid.uuid4().hex[:8]}", False)
        queue = redis.Redis.from_url(running.env["REDIS_URL"])
        high = f"{running.env['REDIS_NAMESPACE']}-dramatiq:mediagraph-high"
        try:
            async with httpx.AsyncClient(base_url=running.base_url, timeout=60) as client:
                made = await gql(client, key, TRANSCRIBE, {"input": {"url": f"{hanging.url}/long.wav",
                                                                     "mediaType": "AUDIO"}})
                busy = made["data"]["transcribe"]["job"]["id"]
                await _until(running, busy, lambda j: j.status == "running")
                made = await gql(client, key, TRANSLATE, {"input": {"content": "Good morning.",
                                                                    "targetLanguage": "de", "priority": "HIGH"}})
                urgent = made["data"]["translateText"]["job"]["id"]
                deadline = time.monotonic() + 60
                while queue.llen(high) or not queue.hlen(f"{high}.msgs"):  # fetched by the busy process
                    assert time.monotonic() < deadline, "the busy worker did not fetch the high-priority job"
                    await asyncio.sleep(0.05)
                await running.kill_holder(busy)
                hanging.stop()  # the reclaimed job now fails fast instead of taking the new worker's one thread
                running.start_worker()
                # Dramatiq's default alone (a worker is dead after 60 s of silence) could never make it in time
                done = await _until(running, urgent, lambda j: j.status in {"completed", "failed"}, timeout=55)
                assert done.status == "completed", done.error_message
        finally:
            queue.close()
            hanging.stop()
            await running.db.close()


if "production" not in BACKENDS:  # no PostgreSQL and Redis here (CI=true refuses to start without them): nothing runs
    for _name in [name for name in globals() if name.startswith("test_")]:
        del globals()[_name]

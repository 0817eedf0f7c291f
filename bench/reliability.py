"""Reliability with the default settings: `serve` and two `worker` processes on PostgreSQL and a Redis of the bench's
own, broken as tests/e2e/test_crashes.py breaks them, repeatedly: workers SIGKILLed mid-transcription (the recovery
time: the death to the job running again elsewhere), Redis restarted mid-job, the API restarted under a subscriber,
a poison job. Then every effect is counted: transcripts, usage records, webhook deliveries at a receiver on
127.0.0.1 and the events a reconnecting `jobEvents` subscriber received against the event log.

`python -m bench reliability` (DATABASE_URL of a PostgreSQL server; BENCH_KILLS, default 10; BENCH_RESTARTS, 3)."""
from __future__ import annotations

import asyncio
import functools
import itertools
import json
import os
import tempfile
import threading
import time
import uuid
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import sqlalchemy as sa
import websockets

from bench.common import percentile, table

KILLS = int(os.environ.get("BENCH_KILLS", "10"))
RESTARTS = int(os.environ.get("BENCH_RESTARTS", "3"))
GOAL_P95_S = 30.0
TRANSCRIBE = """mutation($input: TranscribeInput!) { transcribe(input: $input) { job { id } errors { code message } } }"""
TRANSLATE = """mutation($input: TranslateTextInput!) { translateText(input: $input) { job { id status }
  errors { code message } } }"""
EVENTS = "subscription($after: Int) { jobEvents(after: $after) { id status sequence } }"


class Listener:
    """A `jobEvents` subscriber through the API that reconnects with `after: <last sequence>` whenever it drops."""

    def __init__(self, ws_url: str, key: str):
        self.ws_url, self.key = ws_url, key
        self.events: list[dict] = []
        self.connections = 0

    async def run(self) -> None:
        while True:
            after = self.events[-1]["sequence"] if self.events else 0
            try:
                async with websockets.connect(self.ws_url, subprotocols=["graphql-transport-ws"]) as ws:
                    await ws.send(json.dumps({"type": "connection_init",
                                              "payload": {"Authorization": f"Bearer {self.key}"}}))
                    await asyncio.wait_for(ws.recv(), 30)
                    await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                              "payload": {"query": EVENTS, "variables": {"after": after}}}))
                    self.connections += 1
                    async for raw in ws:
                        message = json.loads(raw)
                        if message["type"] == "next":
                            self.events.append(message["payload"]["data"]["jobEvents"])
            except (OSError, websockets.exceptions.WebSocketException, TimeoutError):
                pass  # the API is down or restarting: connect again, after the last event received
            await asyncio.sleep(0.5)


class Files:
    """The bench's media over HTTP on 127.0.0.1 (transcriptions by URL)."""

    def __init__(self, folder: Path):
        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


async def _gql(client: httpx.AsyncClient, query: str, variables: dict) -> dict:
    body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def _until(db, job_id: str, done, timeout: float = 900):
    deadline = time.monotonic() + timeout
    while True:
        job = await db.job(uuid.UUID(job_id))
        if done(job):
            return job
        if time.monotonic() > deadline:
            raise RuntimeError(f"job {job_id} stayed {job.status}")
        await asyncio.sleep(0.05)


async def _kill(crash, db, job_id: str) -> float:
    """SIGKILL the job's worker mid-transcription, start a replacement; seconds from the death to running again."""
    await _until(db, job_id, lambda j: j.status == "running" and j.stage == "transcribing")
    before = await db.job(uuid.UUID(job_id))
    await crash.kill_holder(job_id)
    died = time.monotonic()
    crash.start_worker()
    await _until(db, job_id, lambda j: j.attempts > before.attempts and j.status in {"running", "completed", "failed"})
    return time.monotonic() - died


async def _scenarios(crash, db, client, files: Files, receiver, hanging, libre_jobs: list) -> dict:
    jobs, recoveries, outages, restarts = [], [], [], []

    async def transcribe(url: str) -> str:
        made = (await _gql(client, TRANSCRIBE, {"input": {"url": url, "mediaType": "AUDIO",
                                                          "webhook": {"url": receiver.url}}}))["transcribe"]
        jobs.append(made["job"]["id"])
        return made["job"]["id"]

    for _ in range(KILLS):
        job = await transcribe(f"{files.url}/speech.wav")
        recoveries.append(await _kill(crash, db, job))
        await _until(db, job, lambda j: j.status in {"completed", "failed"})
    for _ in range(RESTARTS):  # Redis down 3 s mid-job, a mutation in the outage
        job = await transcribe(f"{files.url}/speech.wav")
        await _until(db, job, lambda j: j.status == "running" and j.stage == "transcribing")
        crash.redis.stop()
        during = (await _gql(client, TRANSLATE, {"input": {"content": "Good morning.", "targetLanguage": "es"}}))
        libre_jobs.append(during["translateText"]["job"]["id"])
        await asyncio.sleep(3)
        crash.redis.start()
        back = time.monotonic()
        for ident in (job, libre_jobs[-1]):
            await _until(db, ident, lambda j: j.status in {"completed", "failed"})
        outages.append(time.monotonic() - back)
    for _ in range(RESTARTS):  # the API restarted (SIGTERM) under the subscriber, mid-job
        job = await transcribe(f"{files.url}/speech.wav")
        await _until(db, job, lambda j: j.status == "running")
        started = time.monotonic()
        await crash.stop_serve()
        await crash.start_serve(timeout=300)
        restarts.append(time.monotonic() - started)
        await _until(db, job, lambda j: j.status in {"completed", "failed"})
    poison = await transcribe(f"{hanging.url}/poison.wav")
    first_death = None
    for attempt in range(1, 4):
        await _until(db, poison, lambda j, n=attempt: j.status == "running" and j.attempts == n)
        await crash.kill_holder(poison)
        first_death = first_death or time.monotonic()
        crash.start_worker()
    failed = await _until(db, poison, lambda j: j.status != "running")
    return {"jobs": jobs, "poison": poison, "poison_outcome": (failed.status, failed.error_code, failed.attempts),
            "poison_s": time.monotonic() - first_death, "recoveries": recoveries, "outages": outages,
            "restarts": restarts}


async def _measure(tmp: Path) -> None:
    from app import _create_key
    from domain.db import UnitOfWork
    from domain.events.models import JobEvent
    from domain.settings import Settings
    from domain.transcripts.models import Transcription
    from tests.media import MONOLOGUE, speak
    from tests.processes import Hanging, Receiver, cluster, cluster_env
    from tests.providers import LibreTranslate
    from tests.workers.by_hand import Database

    media = tmp / "media"
    media.mkdir()
    speak(MONOLOGUE, media / "speech.wav")
    files, receiver, hanging, libre = Files(media), Receiver(), Hanging(), LibreTranslate()
    env = cluster_env(tmp / "data", RATE_LIMIT_PER_MINUTE=0, LIBRETRANSLATE_URL=libre.url,
                      LIBRETRANSLATE_API_KEY="test-key", TRANSLATION_PROVIDERS="")
    try:
        async with cluster(env, workers=2) as crash:
            db = Database(Settings.from_env(crash.env).database_url)
            key = await _create_key(Settings.from_env(crash.env), "reliability", False)
            listener = Listener(crash.ws_url, key)
            listening = asyncio.create_task(listener.run())
            libre_jobs: list[str] = []
            async with httpx.AsyncClient(base_url=crash.base_url, timeout=120,
                                         headers={"Authorization": f"Bearer {key}"}) as client:
                found = await _scenarios(crash, db, client, files, receiver, hanging, libre_jobs)
            jobs = found["jobs"]
            deadline = time.monotonic() + 120  # every terminal webhook delivered, then a few more sweeps
            while (len({job for _, event, job in receiver.got if event.endswith((".completed", ".failed"))})
                   < len(jobs) and time.monotonic() < deadline):
                await asyncio.sleep(0.5)
            await asyncio.sleep(15)  # the jobs they made (search indexing) finish too
            async with UnitOfWork(db.sessionmaker) as uow:
                rows = (await uow.session.execute(sa.select(Transcription.job_id))).scalars().all()
                logged = (await uow.session.execute(sa.select(JobEvent.sequence))).scalars().all()
            deadline = time.monotonic() + 60  # the subscriber's stream catching up with the log (or not: lost)
            while set(logged) - {e["sequence"] for e in listener.events} and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
            listening.cancel()
            usage = {job: len(await db.usage(uuid.UUID(job))) for job in jobs}
            statuses = {job: (await db.job(uuid.UUID(job))).status for job in jobs + libre_jobs}
            await db.close()
    finally:
        for server in (receiver, hanging, libre):
            server.stop()
        files.server.shutdown()
    completed = [job for job in jobs if statuses[job] == "completed"]
    per_job = {job: rows.count(uuid.UUID(job)) for job in jobs}
    posted = [ident for ident, _, _ in receiver.got]
    terminal = [job for _, event, job in receiver.got if event.endswith((".completed", ".failed"))]
    received = [e["sequence"] for e in listener.events]
    recoveries = found["recoveries"]
    load = os.getloadavg()[0]
    table(f"Reliability: recovery after SIGKILL of a worker mid-transcription, {len(recoveries)} kills, two workers, "
          f"default settings (heartbeat TTL 15 s, reaper every 5 s); load average {load:.1f} on "
          f"{os.cpu_count()} cores",
          [("figure", "seconds", "goal"),
           ("death → running again, p50", f"{percentile(recoveries, 50):.1f}", ""),
           ("death → running again, p95", f"{percentile(recoveries, 95):.1f}", f"<= {GOAL_P95_S:.0f}"),
           ("death → running again, max", f"{max(recoveries):.1f}", ""),
           (f"Redis down 3 s mid-job ({len(found['outages'])}×): Redis back → job and outage mutation done, p50",
            f"{percentile(found['outages'], 50):.1f}", ""),
           (f"API restarted (SIGTERM, start again; {len(found['restarts'])}×): down for, p50",
            f"{percentile(found['restarts'], 50):.1f}", ""),
           ("poison job ({} {} after {} attempts): first death → failed".format(*found["poison_outcome"]),
            f"{found['poison_s']:.1f}", "")])
    table("Reliability: effects counted after all of it (transcription jobs with a webhook; a `jobEvents` subscriber "
          "through the API, reconnecting with `after`)",
          [("effect", "count", "goal"),
           ("transcription jobs completed", f"{len(completed)} of {len(jobs) - 1}", "all but the poison one"),
           ("outage mutations answered success and completed",
            f"{sum(statuses[j] == 'completed' for j in libre_jobs)} of {len(libre_jobs)}", "all"),
           ("transcripts duplicated / missing",
            f"{sum(max(0, n - 1) for n in per_job.values())} / {sum(per_job[j] == 0 for j in completed)}", "0 / 0"),
           ("usage records duplicated", str(sum(max(0, n - 1) for n in usage.values())), "0"),
           ("webhook deliveries posted twice (same webhook-id)", str(len(posted) - len(set(posted))), "0"),
           ("jobs whose completed/failed webhook did not arrive exactly once",
            str(sum(terminal.count(job) != 1 for job in jobs)), "0"),
           ("subscription events lost", str(len(set(logged) - set(received))), "0"),
           ("subscription events duplicated", str(len(received) - len(set(received))), "0"),
           ("subscription events out of order", str(sum(1 for a, b in itertools.pairwise(received) if b <= a)), "0"),
           ("subscriber (re)connections", str(listener.connections), "")])


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        print("bench reliability needs DATABASE_URL (PostgreSQL): skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_measure(Path(tmp)))


if __name__ == "__main__":
    main()

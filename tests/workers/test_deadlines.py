"""Deadlines: a handler past its kind's deadline is stopped and the job fails with DEADLINE_EXCEEDED; a job past its
deadline can no longer be kept alive by its heartbeat, and the reaper fails it even while its worker still beats."""
from __future__ import annotations

import asyncio
import re

from domain.db import UnitOfWork, utcnow
from domain.jobs import repository as jobs_repo
from tests.workers.by_hand import Worker
from workers import runner
from workers.reaper import reap_running


async def test_a_handler_that_hangs_fails_at_its_deadline(server, tenant, db, media_server):
    # The origin answers after 4 s; text translations here may take 1 s.
    job_id = await db.text_translation(server.runtime.ports, tenant.key, url=f"{media_server}/slow/notes.mp4")
    worker = Worker(server, job_deadlines=(("text_translation", 1.0),))
    try:
        await worker.call(runner.run_job, worker.runtime, str(job_id))
    finally:
        worker.close()
    job = await db.job(job_id)
    assert (job.status, job.error_code, job.attempts) == ("failed", "DEADLINE_EXCEEDED", 1)
    # The worker's own timer says how long it gave the job; the server's reaper, running beside this test, may get
    # there first and names the deadline the worker set: either way, that deadline, not the server's default.
    assert ("deadline of 1 s" in job.error_message or
            re.fullmatch(r"the job ran past its deadline \(\S+\) for text_translation", job.error_message)), \
        job.error_message
    assert job.heartbeat_at is None


async def test_past_its_deadline_a_job_cannot_beat_and_the_reaper_fails_it(server, tenant, db):
    job_id = await db.text_translation(server.runtime.ports, tenant.key)
    # 3 s: the first beat must land inside the deadline even on a loaded CI machine (1 s failed there once).
    worker = Worker(server, job_deadlines=(("text_translation", 3.0),))
    try:
        assert await worker.call(runner.claim, worker.runtime, job_id, "hung") is not None
        async with UnitOfWork(db.sessionmaker) as uow:
            assert await jobs_repo.heartbeat(uow.session, job_id, "hung", utcnow()) is True
        await asyncio.sleep(3.5)
        async with UnitOfWork(db.sessionmaker) as uow:  # a hung worker's beat no longer counts
            assert await jobs_repo.heartbeat(uow.session, job_id, "hung", utcnow()) is False
        # Its last beat is fresh (the TTL is the default), yet the deadline has passed. (The server's own reaper
        # may get there first: either way the job fails the same way.)
        await worker.call(reap_running, worker.runtime.sessionmaker, worker.runtime.ports)
    finally:
        worker.close()
    job = await db.job(job_id)
    assert (job.status, job.error_code) == ("failed", "DEADLINE_EXCEEDED")

"""A worker process SIGKILLed mid-job: another worker process's own reaper (no `serve` anywhere) takes the job back
and runs it to the end, once. Worker processes need Redis, so this runs on the production backend only."""
from __future__ import annotations

import asyncio
import signal
import uuid

from app import Runtime, _create_key, migrate
from domain.settings import Settings
from tests.conftest import BACKENDS, _create_database, _settings_env, drop_backend
from tests.harness import free_port, start_worker_process
from tests.workers.by_hand import Database

if "production" in BACKENDS:

    async def test_a_worker_process_takes_back_the_job_of_a_killed_one(tmp_path, media, media_server, idp, providers):
        # The origin answers after 4 s: long enough to kill the worker while it waits.
        (next(iter(media.values())).parent / "recovery-note.txt").write_text("Hello world. The job survives.\n")
        name, namespace = f"mg_test_{uuid.uuid4().hex[:10]}", f"mgtest-{uuid.uuid4().hex[:8]}"
        env = _settings_env("production", tmp_path, free_port(), await _create_database(name), namespace, idp,
                            providers)
        env.update(JOB_HEARTBEAT_TTL_S="3", REAPER_INTERVAL_S="1")
        settings = Settings.from_env(env)
        await asyncio.to_thread(migrate, settings)
        sender, db, workers = Runtime.build(settings, run_jobs=False), Database(settings.database_url), []
        try:
            key = await _create_key(settings, "recovery", False)
            job_id = await db.text_translation(sender.ports, key, url=f"{media_server}/slow/recovery-note.txt")
            workers.append(start_worker_process(env))
            sender.ports.dispatcher.dispatch(job_id, "text_translation", "standard")
            await db.wait(job_id, {"running"})
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(timeout=30)
            assert (await db.job(job_id)).status == "running"  # nobody has told the database
            workers.append(start_worker_process(env))
            done = await db.wait(job_id, {"completed", "failed"}, timeout=180)
            assert (done.status, done.attempts) == ("completed", 2), done.error_message
            assert done.result["character_count"] > 0 and len(await db.usage(job_id)) == 1
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.terminate()
                    worker.wait(timeout=30)
            await db.close()
            sender.broker.close()
            await drop_backend(name, namespace)

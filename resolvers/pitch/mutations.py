"""MediaPitch mutations: audio uploads, submissions, worker reports, the account's notices."""
from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from domain.pitch import service
from domain.pitch.models import AUDIO, TASK
from domain.tenancy import service as tenancy
from resolvers.payloads import mutate


def _spool(upload, target: Path) -> int:
    source = getattr(upload, "file", upload)
    source.seek(0)
    with open(target, "wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    return target.stat().st_size


async def upload_audio(info, data):
    upload = data.file
    filename = getattr(upload, "filename", None) or "audio"
    with tempfile.TemporaryDirectory(prefix="mg-audio-") as tmp:
        path = Path(tmp) / "upload"
        size = await asyncio.to_thread(_spool, upload, path)

        async def work(uow, ports, viewer):
            asset = await service.upload_audio(uow, ports, viewer, path, filename, data.name, size)
            return {"asset": asset, "audio_number": (await service.numbers(uow, AUDIO, [asset.id]))[asset.id]}

        return await mutate(info, work)


async def create_submission(info, data):
    async def work(uow, ports, viewer):
        found, task = await service.submit(uow, ports, viewer, service.SubmissionRequest(
            data.audio_name, list(data.services), data.audio_url, str(data.audio_id) if data.audio_id else None,
            data.audio_language, data.context, data.target_language))
        return {"submission": found, "task": task}

    return await mutate(info, work)


async def task_result(info, data):
    async def work(uow, ports, viewer):
        job = await service.record_result(uow, ports, viewer, str(data.task_id), data.status, data.result,
                                          data.result_id, data.zip)
        return {"job": job, "task_number": await service.number(uow, job.tenant_id, TASK, job.id)}

    return await mutate(info, work)


async def update_account(info, data):
    async def work(uow, ports, viewer):
        await service.set_notification_email(uow, viewer, data.notification_email)
        return {"account": await tenancy.account(uow, viewer)}

    return await mutate(info, work)

"""A MediaPitch task: child jobs for each service (transcribe, translate, summarize, paraphrase), then the result."""
from __future__ import annotations

import asyncio
import uuid

from domain.assets import repository as assets_repo
from domain.errors import DomainError, ErrorCode, NotFound
from domain.jobs import repository as jobs_repo
from domain.jobs import service as jobs
from domain.jobs.models import COMPLETED, TERMINAL
from domain.pitch import service as pitch
from domain.tenancy.service import Viewer
from domain.transcripts import repository as transcripts_repo
from domain.transcripts import service as transcripts
from domain.translation import service as translation
from workers.runner import JobContext, handles, run_job

POLL_S = 0.2


async def await_job(ctx: JobContext, job_id: uuid.UUID):
    """Run the child here if no worker has taken it yet (claims are idempotent), else wait for whoever did.

    Running it inline means a task never waits on a free worker thread, so tasks cannot starve their children."""
    await run_job(ctx.runtime, str(job_id))
    while True:
        async with ctx.uow() as uow:
            job = await jobs_repo.get_unscoped(uow.session, job_id)
        if job is None:
            raise NotFound("job", job_id)
        if job.status in TERMINAL:
            if job.status != COMPLETED:
                code = ErrorCode(job.error_code) if job.error_code in ErrorCode.__members__ else ErrorCode.INTERNAL
                raise DomainError(f"{job.kind} step failed: {job.error_message or job.status}", code=code)
            return job
        await asyncio.sleep(POLL_S)


async def child(ctx: JobContext, create) -> object:
    viewer = Viewer(tenant_id=ctx.job.tenant_id, name="task")
    async with ctx.uow() as uow:
        await ctx.load(uow)  # still this worker's task: a reclaimed runner must not add children beside the new one's
        job = await create(uow, viewer)
    return await await_job(ctx, job.id)


def _chunks(segments, speakers=None) -> list[dict]:
    return [{"start": round(s.start_ms / 1000, 3), "end": round(s.end_ms / 1000, 3), "text": s.text,
             **({"speaker": speakers.get(s.speaker_id)} if speakers is not None else {})} for s in segments]


@handles("submission")
async def run_task(ctx: JobContext) -> None:
    options, task_id = ctx.job.options or {}, ctx.job.id
    services, url = options["services"], ctx.job.input.get("url")
    async with ctx.uow() as uow:
        asset = await assets_repo.get_unscoped(uow.session, ctx.job.asset_id)
        probes = [j for j in await jobs_repo.by_asset_ids(uow.session, ctx.job.tenant_id, [ctx.job.asset_id])
                  if j.kind == "probe"]
    if asset is None:
        raise NotFound("audio", ctx.job.asset_id)
    if probes and not url:
        await ctx.progress(5, stage="probing")
        await await_job(ctx, probes[0].id)  # newest first
    await ctx.progress(10, stage="transcribing")
    diarize = "Speaker Diarization" in services
    transcribed = await child(ctx, lambda uow, viewer: transcripts.request_for_task(
        uow, ctx.ports, viewer, asset, task_id, options["language"], diarize, url))
    transcription_id = transcribed.result["transcription_id"]
    payload: dict = {"summary": None, "language": transcribed.result["language"]}
    if "Translate" in services:
        await ctx.progress(50, stage="translating")
        translated = await child(ctx, lambda uow, viewer: translation.request(uow, ctx.ports, viewer, translation.TranslateRequest(
            str(asset.id), [options["target_language"]], parent_id=task_id)))
        translation_id = translated.result["transcriptions"][0]["id"]
    for service, operation in (("Summarize", "summary"), ("Paraphrase", "paraphrase")):
        if service in services:
            await ctx.progress(70, stage=operation)
            provider = _generator(ctx, operation)
            done = await child(ctx, lambda uow, viewer, op=operation, p=provider: jobs.create(
                uow, ctx.ports, viewer, kind="generation", asset_id=asset.id, parent_id=task_id, provider=p,
                input={"operation": op, "transcription_id": transcription_id, "context": options.get("context")}))
            payload[operation] = done.result["text"]
    async with ctx.uow() as uow:
        segments = await translation.source_segments(uow, ctx.job.tenant_id, transcription_id)
        speakers = None
        if diarize:
            found = await transcripts_repo.speakers_by_asset_ids(uow.session, ctx.job.tenant_id, [asset.id])
            speakers = {s.id: s.name for s in found}
        payload["chunks"] = _chunks(segments, speakers)
        if "Translate" in services:
            payload["translation"] = {"language": options["target_language"], "chunks": _chunks(
                await translation.source_segments(uow, ctx.job.tenant_id, translation_id))}
        await ctx.complete(uow, {"from": "completed", "payload": payload})
        await pitch.settle(uow, ctx.ports, await ctx.load(uow))


def _generator(ctx: JobContext, operation: str) -> str:
    feature = "paraphrase" if operation == "paraphrase" else "summary"
    remote = [p for p in ctx.ports.registry.all("language_model")
              if p.id != "local" and feature in p.resources["language_model"].features]
    return remote[0].id if remote else "local"

"""The probe job: media summary, audio tracks, thumbnail and waveform for a freshly uploaded asset (in process)."""
from __future__ import annotations

import asyncio
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path

from domain.analysis import service as analysis
from domain.assets import limits, probing
from domain.assets import repository as assets_repo
from domain.assets.media import summarise
from domain.assets.service import asset_prefix
from domain.db import UnitOfWork
from domain.editor import timeline as editor_timeline
from domain import languages
from domain.errors import DomainError, NotFound
from domain.tenancy.service import Viewer
from domain.transcripts import service as transcripts
from domain.jobs.models import Job
from workers.engines import media
from workers.runner import JobContext, handles


async def _mark_asset_failed(uow: UnitOfWork, job: Job) -> None:
    asset = await assets_repo.get_unscoped(uow.session, job.asset_id) if job.asset_id else None
    if asset is not None:
        await probing.record_failure(uow, asset)


async def derive(ctx: JobContext, asset, original_key: str, local: Path | None = None,
                 report: dict | None = None) -> tuple:
    """Media summary, thumbnail, waveform and per-track audio files (PyAV in process, else ffmpeg), stored; the
    database is not touched.

    `local` is the original already on disk (a fresh download): then it is not fetched from storage again;
    `report` is an ffprobe report the caller already has: then the file is not probed again.
    """
    storage = ctx.ports.storage
    prefix = asset_prefix(asset.tenant_id, asset.id)
    derived: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="mg-probe-") as tmp:
        async with media_source(storage, original_key, local) as path:
            report = report or await asyncio.to_thread(media.probe_in_process, path)
            summary = summarise(report)
            limits.check(report, summary.duration_ms, ctx.ports.settings)  # MEDIA_LIMIT_EXCEEDED
            await ctx.progress(40, stage="deriving")  # one step: each is a transaction and an event
            seconds = (summary.duration_ms or 0) / 1000
            thumbnail = None
            if summary.has_video:
                thumbnail = (Path(tmp) / "thumbnail.jpg", min(seconds * 0.1, 5.0), _picture_stream(report))
                derived["thumbnail"] = {"path": thumbnail[0], "content_type": "image/jpeg", "filename": "thumbnail.jpg"}
            waveform = Path(tmp) / "waveform.png" if summary.has_audio else None
            if waveform is not None:
                derived["waveform"] = {"path": waveform, "content_type": "image/png", "filename": "waveform.png"}
            tracks = []
            for track in summary.audio_tracks:
                extension, content_type = media.track_container(track["codec"])
                name = f"audio-{track['index']}.{extension}"
                tracks.append((track["index"], Path(tmp) / name))
                derived[f"track:{track['index']}"] = {"path": tracks[-1][1], "content_type": content_type,
                                                      "filename": name}
            await asyncio.to_thread(media.derive_in_process, path, thumbnail=thumbnail, waveform=waveform,
                                    tracks=tracks, seconds=seconds)
        stored = {}
        for role, info in derived.items():
            key = f"{prefix}derived/{info['filename']}"
            size = await storage.put_file(key, info["path"], info["content_type"])
            stored[role] = {"key": key, "content_type": info["content_type"], "size": size, "filename": info["filename"]}
    return summary, stored


def _picture_stream(report: dict) -> int:
    """The stream the summary describes as the picture: the first video stream that is not cover art."""
    return next(s["index"] for s in report.get("streams", [])
                if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic"))


@asynccontextmanager
async def media_source(storage, key: str, local: Path | None):
    """The original as a local path: the file already on disk if there is one, else a copy from storage."""
    if local is not None:
        yield local
    else:
        async with storage.local_copy(key) as path:
            yield path


async def _fetch_url(ctx: JobContext, asset) -> None:
    """A probe with a `url` (an editor project's `video_url`): the guarded download becomes the original, probed on
    the way in, then the first timeline segment opens."""
    from workers.handlers.transcription import fetch_original  # that module imports this one

    with tempfile.TemporaryDirectory(prefix="mg-fetch-") as tmp:
        await fetch_original(ctx, asset, Path(tmp) / "download", need_audio=False)
    async with ctx.uow() as uow:
        asset = await assets_repo.get_unscoped(uow.session, asset.id)
        await editor_timeline.open_first_segment(uow, asset)
        await ctx.complete(uow, {"media": asset.media, "duration_ms": asset.duration_ms, "transcription": None},
                           usage_quantity=(asset.duration_ms or 0) / 1000)


@handles("probe", on_failure=_mark_asset_failed)
async def probe(ctx: JobContext) -> None:
    async with ctx.uow() as uow:
        asset = await assets_repo.get_unscoped(uow.session, ctx.job.asset_id)
        original = await probing.original_file(uow, asset) if asset else None
    if asset is not None and original is None and ctx.job.input.get("url"):
        return await _fetch_url(ctx, asset)
    if asset is None or original is None:
        raise NotFound("asset original", ctx.job.asset_id)
    summary, stored = await derive(ctx, asset, original.key)
    async with ctx.uow() as uow:
        asset = await assets_repo.get_unscoped(uow.session, ctx.job.asset_id)
        if asset is None:
            raise NotFound("asset", ctx.job.asset_id)
        await probing.record_success(uow, asset, summary, stored)
        await editor_timeline.open_first_segment(uow, asset)  # an editor project's uploaded source: its timeline
        wanted = summary.has_audio and ctx.job.input.get("transcribe", True)
        follow_up = await _transcribe_next(uow, ctx, asset) if wanted else None
        if summary.has_video and not summary.has_audio and ctx.job.input.get("transcribe", True):
            # No speech to wait for: the pipeline's analysis starts now.
            queued = await analysis.request_for_pipeline(uow, ctx.ports, asset, parent_id=ctx.job.id)
            follow_up = {"status": "skipped", "analysis_job_id": str(queued.id) if queued else None}
        await ctx.complete(uow, {"media": summary.media, "duration_ms": summary.duration_ms,
                                 "transcription": follow_up}, usage_quantity=(summary.duration_ms or 0) / 1000)


async def _transcribe_next(uow, ctx: JobContext, asset) -> dict:
    """The asset pipeline: speech is transcribed (with speakers) as soon as the probe has found it.

    A language the installed model cannot transcribe is not queued; the probe's result says why.
    """
    language = languages.by_id(asset.language_id)
    viewer = Viewer(tenant_id=asset.tenant_id, name="pipeline")
    try:
        job = await transcripts.request(uow, ctx.ports, viewer, transcripts.TranscribeRequest(
            asset_id=str(asset.id), language=language.code if language else None, diarization=True, pipeline=True))
    except DomainError as error:
        return {"status": "skipped", "code": error.code.value, "message": error.message}
    return {"status": "queued", "job_id": str(job.id)}

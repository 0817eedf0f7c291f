"""The transcription job: 16 kHz audio, faster-whisper (English or multilingual model), diarization, stored whole."""
from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from domain import languages
from domain.assets import probing
from domain.assets import repository as assets_repo
from domain.assets.service import asset_prefix, safe_filename
from domain.errors import AudioUnreadable, DomainError, NotFound
from domain.tenancy.service import Viewer
from domain.analysis import service as analysis
from domain.search import service as search
from domain.translation import service as translation
from domain.templates import vocabulary as words
from domain.transcripts import service as transcripts
from workers.engines import download, listening, media, transcriber
from workers.handlers.probe import derive, media_source
from workers.runner import JobContext, handles


async def mark_downloaded_asset_failed(uow, job) -> None:
    """The failure hook of every job that may fetch its asset's original from a URL (see fetch_original)."""
    asset = await assets_repo.get_unscoped(uow.session, job.asset_id) if job.asset_id else None
    if asset is not None and asset.original_file_id is None:
        await probing.record_failure(uow, asset)


async def fetch_original(ctx: JobContext, asset, target: Path, need_audio: bool = True) -> None:
    """Fetch the job's URL through the guarded client into `target`, keep it as the asset's original, probe it.

    The local file serves the probe and the audio extraction, so the media crosses the network once."""
    await ctx.progress(1, stage="downloading")
    key = asset_prefix(asset.tenant_id, asset.id) + "original/" + safe_filename(asset.filename)
    size = await download.fetch(ctx.job.input["url"], target, max_bytes=ctx.ports.settings.max_download_bytes,
                                allow_private=ctx.ports.settings.allow_private_urls)
    await ctx.ports.storage.put_file(key, target, "application/octet-stream")
    summary, stored = await derive(ctx, asset, key, local=target)
    if need_audio and not summary.has_audio:
        raise AudioUnreadable("the downloaded media has no audio stream")
    async with ctx.uow() as uow:
        fresh = await assets_repo.get_unscoped(uow.session, asset.id)
        await probing.record_original(uow, fresh, key, size)
        await probing.record_success(uow, fresh, summary, stored)


async def _translate_next(uow, ctx: JobContext, job) -> dict | None:
    """The template's translation languages are translated as soon as the transcript exists."""
    asset = await assets_repo.get_unscoped(uow.session, job.asset_id)
    targets = await translation.auto_targets(uow, asset) if asset else []
    if not targets:
        return None
    try:
        queued = await translation.request(uow, ctx.ports, Viewer(tenant_id=job.tenant_id, name="pipeline"),
                                           translation.TranslateRequest(str(asset.id), targets, parent_id=job.id))
    except DomainError as error:
        return {"status": "skipped", "code": error.code.value, "message": error.message}
    return {"status": "queued", "job_id": str(queued.id)}


async def _analyse_next(uow, ctx: JobContext, job) -> dict | None:
    """The asset pipeline goes on to analysis (shots, faces, sound, sentiment...) once the transcript exists."""
    asset = await assets_repo.get_unscoped(uow.session, job.asset_id)
    queued = await analysis.request_for_pipeline(uow, ctx.ports, asset, parent_id=job.id) if asset else None
    return {"status": "queued", "job_id": str(queued.id)} if queued else None


@handles("transcription", on_failure=mark_downloaded_asset_failed)
async def transcription(ctx: JobContext) -> None:
    options = ctx.job.options or {}
    async with ctx.uow() as uow:
        asset = await assets_repo.get_unscoped(uow.session, ctx.job.asset_id)
    if asset is None:
        raise NotFound("asset", ctx.job.asset_id)
    config = transcriber.WhisperConfig.from_env()
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory(prefix="mg-asr-") as tmp:
        downloaded = None
        if asset.original_file_id is None and ctx.job.input.get("url"):
            downloaded = Path(tmp) / "download"
            await fetch_original(ctx, asset, downloaded)
        async with ctx.uow() as uow:
            asset = await assets_repo.get_unscoped(uow.session, ctx.job.asset_id)
            original = await probing.original_file(uow, asset)
        if original is None:
            raise NotFound("asset original", ctx.job.asset_id)
        await ctx.progress(2, stage="extracting")
        async with media_source(ctx.ports.storage, original.key, downloaded) as path:
            audio = await asyncio.to_thread(media.extract_speech_audio, path, Path(tmp) / "speech.wav",
                                            int(ctx.job.input.get("audio_track") or 0))
        await ctx.progress(10, stage="transcribing")
        reported = [10]

        def on_progress(stage: str, fraction: float) -> None:
            # Called on the model's thread; report in 5 % steps so events stay meaningful.
            if stage == "diarizing":
                asyncio.run_coroutine_threadsafe(ctx.progress(88, stage="diarizing"), loop).result()
                return
            percent = 10 + int(fraction * 75)
            if percent >= reported[0] + 5:
                reported[0] = percent
                # Waited for: a step still in flight when the handler writes its next one would commit between that
                # write's read and its version compare-and-set, and the job would fail CONFLICT (seen under load).
                asyncio.run_coroutine_threadsafe(ctx.progress(percent), loop).result()

        language = options.get("language") or "en-US"
        hotwords, initial_prompt = words.prompt((options.get("vocabulary") or {}).get("whitelist") or [])
        heard = await asyncio.to_thread(
            listening.listen, audio, language,
            listening.Options(beam_size=int(options.get("beam_size") or 0) or None,
                              word_timestamps=bool(options.get("word_timestamps")), hotwords=hotwords,
                              initial_prompt=initial_prompt, diarize=bool(options.get("diarization")),
                              min_speakers=options.get("min_speakers"), max_speakers=options.get("max_speakers")),
            on_progress, config, ctx.ports.settings.data_dir)
    # `auto`: the multilingual model's detection, as a catalog code (`es` -> `es-ES`).
    detected = language if language != "auto" else languages.normalize(heard.language)
    vocabulary = options.get("vocabulary") or {}
    blacklist, dictionary = vocabulary.get("blacklist") or [], vocabulary.get("dictionary") or {}

    def clean(text: str) -> str:  # the template's dictionary first, then its blacklist over the result
        return words.mask(words.expand(text, dictionary), blacklist)

    segments = [
        transcripts.NewSegment(
            p.start_ms, p.end_ms, clean(p.text), p.speaker,
            [{"word": words.mask(w.word, blacklist), "start_ms": w.start_ms, "end_ms": w.end_ms,
              "confidence": w.confidence} for w in p.words] if options.get("word_timestamps") else None)
        for p in heard.pieces
    ]
    await ctx.progress(95, stage="storing")
    async with ctx.uow() as uow:
        job = await ctx.load(uow)
        record = await transcripts.record(uow, job, detected, heard.model, segments)
        await search.request_index(uow, ctx.ports, job.tenant_id, job.asset_id, job.id)
        follow_up = await _translate_next(uow, ctx, job)
        analysed = await _analyse_next(uow, ctx, job) if options.get("pipeline") else None
        await ctx.complete(uow, {"transcription_id": str(record.id), "language": detected,
                                 "duration_ms": heard.duration_ms, "segments": len(segments),
                                 "speakers": len({s for s in heard.speakers if s is not None}),
                                 "translation": follow_up, "analysis": analysed},
                           usage_quantity=heard.duration_ms / 1000)

"""The voice-over job: translate what is missing, speak each segment with espeak-ng, mix, store tracks and an mp4."""
from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import soundfile

from domain.assets import probing
from domain.assets import repository as assets_repo
from domain.assets.service import asset_prefix
from domain.errors import DomainError, ErrorCode, NotFound
from domain.translation import service as translation
from domain.search import service as search
from domain.translation import voice_over
from workers.engines import dubbing, speech, translators
from workers.handlers.translation import run_texts
from workers.runner import JobContext, handles


async def _translate_missing(ctx: JobContext) -> dict[str, list[str]]:
    """Languages without a translation are translated here first, and written with the tracks."""
    missing = ctx.job.input.get("translate") or []
    if not missing:
        return {}
    translator = next((t for t in translators.configured(ctx.ports.settings)
                       if t.id == ctx.job.input.get("translation_provider")), None)
    if translator is None:
        raise DomainError("the translation provider is no longer configured", code=ErrorCode.PROVIDER_UNAVAILABLE)
    async with ctx.uow() as uow:
        source = await translation.source_segments(uow, ctx.job.tenant_id, ctx.job.input["transcription_id"])
    texts = [s.text for s in source]
    return {code: await run_texts(ctx, translator, texts, ctx.job.options.get("source_language"), code, 2, 8)
            for code in missing}


@handles("voice_over")
async def dub(ctx: JobContext) -> None:
    options = ctx.job.options or {}
    translated = await _translate_missing(ctx)
    async with ctx.uow() as uow:
        asset = await assets_repo.get_unscoped(uow.session, ctx.job.asset_id)
        original = await probing.original_file(uow, asset) if asset else None
        job = await ctx.load(uow)
        source = await translation.source_segments(uow, job.tenant_id, job.input["transcription_id"])
        plans = {}
        for code in job.input["languages"]:
            segments = await voice_over.lines(uow, job, code) if code not in translated else None
            texts = translated[code] if code in translated else [s.text for s in segments or []]
            timing = source if code in translated else segments or []
            plans[code] = [dubbing.Line(str(s.id), s.start_ms, s.end_ms, text) for s, text in zip(timing, texts)]
    if asset is None or original is None:
        raise NotFound("asset original", ctx.job.asset_id)
    has_video = any(s.get("codec_type") == "video" for s in (asset.media or {}).get("streams") or [])
    audio_codec = next((s.get("codec_name") for s in (asset.media or {}).get("streams") or []
                        if s.get("codec_type") == "audio"), None)
    prefix = asset_prefix(asset.tenant_id, asset.id) + f"voice_over/{ctx.job.id}/"
    warnings, tempos, dubbed = [], {}, []
    with tempfile.TemporaryDirectory(prefix="mg-dub-") as tmp:
        work = Path(tmp)
        async with ctx.ports.storage.local_copy(original.key) as path:
            tracks = []
            for n, (code, lines) in enumerate(plans.items()):
                await ctx.progress(10 + int(70 * n / len(plans)), stage=f"speaking {code}")
                voice = speech.voice_for(code)
                if voice is None:
                    raise DomainError(f"espeak-ng has no voice for {code}", code=ErrorCode.UNSUPPORTED_LANGUAGE)
                folder = work / code
                folder.mkdir()
                fitted = await asyncio.to_thread(dubbing.fit, lines, voice, asset.duration_ms or 0, folder)
                warnings += [{**w, "language": code} for w in fitted.warnings]
                tempos[code] = {"max": max(fitted.tempos, default=1.0), "changed": sum(t > 1.0 for t in fitted.tempos)}
                track = await asyncio.to_thread(dubbing.mix, path, fitted.timeline, work / f"{code}.m4a", 0,
                                                bool(options.get("mute_original_voice")))
                tracks.append((track, code))
            await ctx.progress(85, stage="muxing")
            video = await asyncio.to_thread(dubbing.mux, path, tracks, work / "dubbed.mp4", has_video, audio_codec,
                                            (asset.duration_ms or 0) / 1000)
        await ctx.progress(92, stage="storing")
        for track, code in tracks:
            key = f"{prefix}{code}.m4a"
            size = await ctx.ports.storage.put_file(key, track, "audio/mp4")
            duration = int(soundfile.info(str(work / code / "voice.wav")).duration * 1000)
            dubbed.append(voice_over.DubbedTrack(code, key, size, duration))
        video_key = f"{prefix}dubbed.mp4"
        video_size = await ctx.ports.storage.put_file(video_key, video, "video/mp4")
    async with ctx.uow() as uow:
        job = await ctx.load(uow)
        for code, texts in translated.items():
            await translation.record(uow, job, code, source, texts, job.input.get("translation_provider"))
        recorded = await voice_over.record(uow, job, dubbed, video_key, video_size)
        await search.request_index(uow, ctx.ports, job.tenant_id, job.asset_id, job.id)
        seconds = sum(d.duration_ms for d in dubbed) / 1000
        await ctx.complete(uow, {**recorded, "languages": list(plans), "warnings": warnings, "tempo": tempos,
                                 "mute_original_voice": bool(options.get("mute_original_voice")),
                                 "translated": list(translated)}, usage_quantity=seconds)

"""The transcription job: 16 kHz audio, faster-whisper, optional diarization, the transcript stored whole."""
from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from domain.assets import probing
from domain.assets import repository as assets_repo
from domain.errors import NotFound
from domain.transcripts import service as transcripts
from workers.engines import diarizer, media, transcriber
from workers.runner import JobContext, handles


@handles("transcription")
async def transcription(ctx: JobContext) -> None:
    options = ctx.job.options or {}
    async with ctx.uow() as uow:
        asset = await assets_repo.get_unscoped(uow.session, ctx.job.asset_id)
        original = await probing.original_file(uow, asset) if asset else None
    if asset is None or original is None:
        raise NotFound("asset original", ctx.job.asset_id)
    config = transcriber.WhisperConfig.from_env()
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory(prefix="mg-asr-") as tmp:
        await ctx.progress(2, stage="extracting")
        async with ctx.ports.storage.local_copy(original.key) as path:
            audio = await asyncio.to_thread(media.extract_speech_audio, path, Path(tmp) / "speech.wav",
                                            int(ctx.job.input.get("audio_track") or 0))
        await ctx.progress(10, stage="transcribing")
        reported = [10]

        def on_progress(fraction: float) -> None:
            # Called on the model's thread; report in 5 % steps so events stay meaningful.
            percent = 10 + int(fraction * 75)
            if percent >= reported[0] + 5:
                reported[0] = percent
                asyncio.run_coroutine_threadsafe(ctx.progress(percent), loop)

        language = options.get("language") or "en-US"
        transcript = await asyncio.to_thread(
            transcriber.transcribe, config, audio, language=None if language == "auto" else language.split("-")[0],
            beam_size=int(options.get("beam_size") or 5), word_timestamps=True, on_progress=on_progress)
        speakers = [None] * len(transcript.pieces)
        if options.get("diarization"):
            await ctx.progress(88, stage="diarizing")
            speakers = await asyncio.to_thread(
                diarizer.diarize, audio, [(p.start_ms, p.end_ms) for p in transcript.pieces],
                options.get("min_speakers"), options.get("max_speakers"))
    detected = language if language != "auto" else transcript.language
    segments = [
        transcripts.NewSegment(
            p.start_ms, p.end_ms, p.text, speaker,
            [{"word": w.word, "start_ms": w.start_ms, "end_ms": w.end_ms, "confidence": w.confidence}
             for w in p.words] if options.get("word_timestamps") else None)
        for p, speaker in zip(transcript.pieces, speakers)
    ]
    await ctx.progress(95, stage="storing")
    model = f"{config.name} (beam {options.get('beam_size') or 5})"
    async with ctx.uow() as uow:
        job = await ctx.load(uow)
        record = await transcripts.record(uow, job, detected, model, segments)
        await ctx.complete(uow, {"transcription_id": str(record.id), "language": detected,
                                 "duration_ms": transcript.duration_ms, "segments": len(segments),
                                 "speakers": len({s for s in speakers if s is not None})},
                           usage_quantity=transcript.duration_ms / 1000)

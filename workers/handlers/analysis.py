"""The video analysis job: one frame pass for the visual features, one audio extraction for speech and text ones."""
from __future__ import annotations

import asyncio
import tempfile
import uuid
from pathlib import Path

from domain.assets import probing
from domain.assets import repository as assets_repo
from domain.assets.models import StoredFile
from domain.assets.service import asset_prefix
from domain.analysis import service as analysis
from domain.search import service as search
from domain.errors import DomainError, ErrorCode, NotFound
from domain.transcripts import repository as transcripts_repo
from workers.engines import listening, media, translators
from workers.engines.analysis import pipeline, sound, text, vision
from workers.handlers.probe import media_source
from workers.handlers.transcription import fetch_original, mark_downloaded_asset_failed
from workers.runner import JobContext, handles

SPEECH_FEATURES = {"speech_to_text", "sentiment", "topics", "summary"}
ROLES = {"scene": "scene_thumbnail", "face": "face_crop"}


def _speech(audio: Path, threshold: float) -> list[dict]:
    """Whisper segments with diarized speaker ids; segments under the confidence threshold are left out."""
    heard = listening.listen(audio, None, listening.Options(diarize=True))
    out = []
    for piece in heard.pieces:
        confidence = 1.0  # Whisper gives no per-segment confidence: every segment passes a threshold up to 1
        if confidence >= threshold:
            out.append({"start_ms": piece.start_ms, "end_ms": piece.end_ms, "text": piece.text.strip(),
                        "speaker_id": int(piece.speaker or 0), "language": heard.language, "confidence": confidence})
    return out


@handles("video_analysis", on_failure=mark_downloaded_asset_failed)
async def analyse(ctx: JobContext) -> None:
    features = set(ctx.job.input["features"])
    options = ctx.job.options or {}
    threshold = float(options.get("confidence_threshold", 0.5))
    async with ctx.uow() as uow:
        asset = await assets_repo.get_unscoped(uow.session, ctx.job.asset_id)
    if asset is None:
        raise NotFound("asset", ctx.job.asset_id)
    result: dict = {"features": sorted(features)}
    with tempfile.TemporaryDirectory(prefix="mg-analysis-") as tmp:
        work = Path(tmp)
        downloaded = None
        if asset.original_file_id is None and ctx.job.input.get("url"):
            downloaded = work / "download"
            await fetch_original(ctx, asset, downloaded, need_audio=False)
        async with ctx.uow() as uow:
            asset = await assets_repo.get_unscoped(uow.session, ctx.job.asset_id)
            original = await probing.original_file(uow, asset)
        if original is None:
            raise NotFound("asset original", ctx.job.asset_id)
        media_info = asset.media or {}
        video = next((s for s in media_info.get("streams") or [] if s.get("codec_type") == "video"), None)
        result["video_metadata"] = {"duration_ms": asset.duration_ms, "width": media_info.get("width"),
                                    "height": media_info.get("height"), "frame_rate": media_info.get("frame_rate"),
                                    "format": media_info.get("container"), "codec": media_info.get("video_codec")}
        files = []
        async with media_source(ctx.ports.storage, original.key, downloaded) as path:
            frame_features = (features & pipeline.FRAME_FEATURES) | ({"autocenter"} if "faces" in features else set())
            if features & {"labels", "brands"}:
                frame_features.add("scenes")  # the vision model looks at one thumbnail per shot
            if frame_features and video:
                await ctx.progress(10, stage="frames")
                passed = await asyncio.to_thread(
                    pipeline.run, path, int(media_info.get("width") or 0), int(media_info.get("height") or 0),
                    asset.duration_ms or 0, frame_features, options.get("profile", "balanced"), threshold, work)
                result.update({"scenes": passed.scenes, "faces": passed.faces, "autocenter": passed.autocenter,
                               "ocr": passed.ocr, "content_moderation": passed.content_moderation,
                               "frames": {"decoded": passed.frames_decoded, "analysed": passed.frames_analysed}})
                files = passed.files
                if features & {"labels", "brands"}:
                    await ctx.progress(45, stage="vision")
                    chat = translators.language_model(ctx.ports.settings)
                    thumbs = {role: path for role, path in passed.files}
                    shots = [(s, thumbs[f"scene:{s['index']}"]) for s in passed.scenes if f"scene:{s['index']}" in thumbs]
                    for kind in sorted(features & {"labels", "brands"}):
                        try:
                            result[kind] = await asyncio.to_thread(vision.detect, chat, kind, shots, threshold)
                        except translators.ProviderFailed as exc:
                            raise DomainError(str(exc), code=ErrorCode.PROVIDER_UNAVAILABLE) from exc
            segments, audio = [], None
            has_audio = any(s.get("codec_type") == "audio" for s in media_info.get("streams") or [])
            if has_audio and features & (SPEECH_FEATURES | {"sound_descriptions"}):
                await ctx.progress(55, stage="audio")
                audio = await asyncio.to_thread(media.extract_speech_audio, path, work / "speech.wav",
                                                int(ctx.job.input.get("audio_track") or 0))
            if audio is not None and "sound_descriptions" in features:
                result["sound_descriptions"] = await asyncio.to_thread(sound.describe, audio)
            if audio is not None and features & SPEECH_FEATURES:
                await ctx.progress(65, stage="speech")
                if options.get("pipeline"):  # the asset pipeline has just written the transcript: use it
                    segments = await _transcript_segments(ctx, asset)
                else:
                    segments = await asyncio.to_thread(_speech, audio,
                                                       threshold if "speech_to_text" in features else 0.0)
        await ctx.progress(85, stage="text")
        if "speech_to_text" in features:
            result["speech_to_text"] = segments
        if options.get("pipeline"):
            result["speech_segments"] = [{"text": s["text"]} for s in segments]
        if "sentiment" in features:
            result["sentiment"] = text.sentiment(segments)
        if "topics" in features:
            result["topics"] = text.topics(segments, result.get("ocr") or [])
        if "summary" in features:
            result["summary"] = await asyncio.to_thread(text.summary, segments)
        await ctx.progress(92, stage="storing")
        prefix = asset_prefix(asset.tenant_id, asset.id) + f"analysis/{ctx.job.id}/"
        stored = []
        for role, local in files:
            key = prefix + local.name
            size = await ctx.ports.storage.put_file(key, local, "image/jpeg")
            stored.append((role, key, size, local.name))
    async with ctx.uow() as uow:
        ids = {}
        for role, key, size, name in stored:
            row = StoredFile(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id,
                             role=ROLES[role.split(":")[0]], key=key, content_type="image/jpeg", size=size,
                             filename=name)
            assets_repo.add(uow.session, row)
            ids[role] = str(row.id)
        for scene in result.get("scenes") or []:
            scene["thumbnail_file_id"] = ids.get(f"scene:{scene['index']}")
        for face in result.get("faces") or []:
            face["crop_file_id"] = ids.get(f"face:{face['track_id']}")
            face.pop("centres", None)
        await uow.session.flush()
        if options.get("pipeline"):
            job = await ctx.load(uow)
            result["items"] = await analysis.record_items(uow, job, result)
            await search.request_index(uow, ctx.ports, job.tenant_id, job.asset_id, job.id)
            result.pop("speech_segments", None)  # the transcript itself holds them
        await ctx.complete(uow, result, usage_quantity=(asset.duration_ms or 0) / 1000)


async def _transcript_segments(ctx: JobContext, asset) -> list[dict]:
    async with ctx.uow() as uow:
        found = [t for t in await transcripts_repo.by_asset_ids(uow.session, asset.tenant_id, [asset.id])
                 if t.source == "asr"]
        if not found:
            return []
        segments = await transcripts_repo.segments_by_transcription_ids(uow.session, asset.tenant_id, [found[-1].id])
    return [{"start_ms": s.start_ms, "end_ms": s.end_ms, "text": s.text, "speaker_id": 0,
             "language": found[-1].language, "confidence": 1.0} for s in segments]

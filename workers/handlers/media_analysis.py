"""The MetaVision job: optimizing (fetch, probe, thumbnails, frames), transcribing, analyzing (category agents)."""
from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from domain.analysis import derived, metavision
from domain.assets import probing
from domain.assets import repository as assets_repo
from domain.assets.models import StoredFile
from domain.assets.service import asset_prefix, safe_filename
from domain.errors import NotFound
from workers.engines import download, listening, media, summarizer, translators
from workers.engines.analysis import pipeline, text, vision
from workers.handlers.probe import derive
from workers.handlers.transcription import mark_downloaded_asset_failed
from workers.runner import JobContext, handles

FRAME_NEEDS = {"scenes": "scenes", "faces": "faces", "on_screen_text": "ocr", "keywords": "ocr",
               "moderation": "content_moderation"}


def request_headers(url: str, credentials: dict | None) -> dict | None:
    """The caller's headers plus a Cookie from cookies.txt (the URL's domain only) or the cookie string."""
    if not credentials:
        return None
    headers = dict(credentials.get("headers") or {})
    host = (urlsplit(url).hostname or "").lower()
    if credentials.get("cookies_txt"):
        pairs = []
        for line in credentials["cookies_txt"].splitlines():
            parts = line.split("\t")
            if line.startswith("#") or len(parts) != 7:
                continue
            domain = parts[0].lstrip(".").lower()
            if host == domain or host.endswith("." + domain):
                pairs.append(f"{parts[5]}={parts[6]}")
        if pairs:
            headers["Cookie"] = "; ".join(pairs)
    elif credentials.get("cookie_string"):
        headers["Cookie"] = credentials["cookie_string"]
    return headers


def _transcript(audio: Path, diarize: bool, align: bool) -> dict:
    heard = listening.listen(audio, "auto", listening.Options(word_timestamps=align, diarize=diarize))  # detected_language
    segments, spoken = [], {}
    for piece in heard.pieces:
        label = f"SPEAKER_{piece.speaker:02d}" if diarize and piece.speaker is not None else None
        segment = {"start": piece.start_ms / 1000, "end": piece.end_ms / 1000, "text": piece.text.strip()}
        if diarize:
            segment["speaker"] = label
            spoken[label] = spoken.get(label, 0.0) + (piece.end_ms - piece.start_ms) / 1000
        if align:
            segment["words"] = [{"word": w.word.strip(), "start": w.start_ms / 1000, "end": w.end_ms / 1000,
                                 **({"speaker": label} if diarize else {})} for w in piece.words]
        segments.append(segment)
    out = {"segments": segments, "detected_language": heard.language,
           "language_probability": heard.language_probability}
    if diarize:
        out["speakers"] = {k: {"name": k, "time": round(v, 2)} for k, v in spoken.items()}
    return out


def _derive(media_type: str, summary, passed, spoken: list[dict], screen: list[dict]) -> derived.Derived:
    """The local agent's title and description: from shots, faces, on-screen text, speech and its topics."""
    said = " ".join(s["text"] for s in spoken)
    return derived.derive(derived.Measured(
        media_type=media_type, duration_s=(summary.duration_ms or 0) / 1000 or None,
        width=summary.media.get("width"), height=summary.media.get("height"),
        shots=len(passed.scenes) if passed else 0, faces=len(passed.faces) if passed else 0,
        screen_text=[o["text"] for o in screen], speech=[s["text"] for s in spoken],
        summary=summarizer.extractive(said, sentences=1) if said else "",
        topics=[t["name"] for t in text.topics(spoken, screen, top=5)]))


def _hms(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@handles("media_analysis", on_failure=mark_downloaded_asset_failed)
async def analyse_media(ctx: JobContext) -> None:
    started = time.perf_counter()
    spec, options = ctx.job.input, ctx.job.options or {}
    categories, media_type = spec["categories"], spec["media_type"]
    credentials = ctx.ports.ephemeral.take(f"auth:{ctx.job.id}") if ctx.ports.ephemeral else None
    await ctx.progress(2, stage="optimizing")
    async with ctx.uow() as uow:
        asset = await assets_repo.get_unscoped(uow.session, ctx.job.asset_id)
    if asset is None:
        raise NotFound("media", ctx.job.asset_id)
    data: dict = {}
    files: list[tuple[str, Path, str]] = []
    with tempfile.TemporaryDirectory(prefix="mg-mv-") as tmp:
        work = Path(tmp)
        local = work / "media"
        if spec.get("media"):
            settings = ctx.ports.settings
            size = await download.fetch(spec["media"], local, max_bytes=settings.max_download_bytes,
                                        allow_private=settings.allow_private_urls,
                                        headers=request_headers(spec["media"], credentials))
            # The URL's last path segment is the caller's text: never a storage key (or an ffmpeg path) as it is.
            key = asset_prefix(asset.tenant_id, asset.id) + "original/" + safe_filename(asset.filename or "media")
            await ctx.ports.storage.put_file(key, local, "application/octet-stream")
            async with ctx.uow() as uow:
                await probing.record_original(uow, await assets_repo.get_unscoped(uow.session, asset.id), key, size)
        else:
            async with ctx.uow() as uow:
                original = await probing.original_file(uow, asset)
            async with ctx.ports.storage.local_copy(original.key) as copy:
                local.write_bytes(copy.read_bytes())
            key = original.key
        report = await asyncio.to_thread(media.probe, local)
        summary, stored = await derive(ctx, asset, key, local=local, report=report)  # one ffprobe pass
        async with ctx.uow() as uow:
            await probing.record_success(uow, await assets_repo.get_unscoped(uow.session, asset.id), summary, stored)
        pipeline_info = {"metadata": {"streams": report.get("streams", []), "format": report.get("format", {})}}
        frame_features = {FRAME_NEEDS[c] for c in categories if c in FRAME_NEEDS}
        vision_agent = options.get("model_name") != metavision.LOCAL_AGENT.name
        # Without a vision model, title and description are derived from what the local analysis measures.
        deriving = [c for c in categories if metavision.BY_ID[c].derivable and not vision_agent]
        wants_vision = vision_agent and any(metavision.BY_ID[c].needs_vision for c in categories)
        if wants_vision:
            frame_features.add("scenes")  # one thumbnail per shot for the vision model
        if deriving:
            frame_features |= {"scenes", "faces", "ocr"}
        passed = None
        if summary.has_video and frame_features:
            if "faces" in frame_features:
                frame_features.add("autocenter")
            width, height = summary.media.get("width") or 0, summary.media.get("height") or 0
            still = media_type == "image" or not summary.duration_ms
            passed = await asyncio.to_thread(pipeline.run, local, int(width), int(height), summary.duration_ms or 1000,
                                             frame_features, options.get("detail", "balanced"), 0.5, work, still)
            for role, path in passed.files:
                kind, number = role.split(":")
                name = f"thumbnails/{int(number) + 1:04d}.jpg" if kind == "scene" else f"faces/face_{int(number) + 1:03d}.jpg"
                files.append((name, path, kind))
            pipeline_info["faces"] = {"faces": [
                {"id": f["track_id"] + 1, "file": f"face_{f['track_id'] + 1:03d}.jpg", "appearances": len(f["instances"]),
                 "first_seen_time": _hms(f["instances"][0]["start_ms"])} for f in passed.faces]}
        if spec.get("media"):
            pipeline_info["download_info"] = {"webpage_url": spec["media"], "duration": (summary.duration_ms or 0) / 1000,
                                              "title": asset.filename}
        transcript = None
        if options.get("transcribe") and summary.has_audio:
            await ctx.progress(40, stage="transcribing")
            audio = await asyncio.to_thread(media.extract_speech_audio, local, work / "speech.wav")
            transcript = await asyncio.to_thread(_transcript, audio, bool(options.get("transcribe_diarize")),
                                                 bool(options.get("transcribe_align")))
        heard = transcript
        if deriving and heard is None and summary.has_audio:  # what is said, for the derived texts only
            await ctx.progress(40, stage="transcribing")
            audio = await asyncio.to_thread(media.extract_speech_audio, local, work / "speech.wav")
            heard = await asyncio.to_thread(_transcript, audio, False, False)
        await ctx.progress(70, stage="analyzing")
        spoken = [{"start_ms": int(s["start"] * 1000), "end_ms": int(s["end"] * 1000), "text": s["text"]}
                  for s in (heard or {}).get("segments", [])]
        screen = passed.ocr if passed else []
        written = None  # the derived title and description (the loop below uses `found` for its own values)
        if deriving:
            written = await asyncio.to_thread(_derive, media_type, summary, passed, spoken, screen)
        succeeded = failed = 0
        tokens_in = tokens_out = 0
        for category in categories:
            if category == "scenes":
                value = [{"index": s["index"], "start": s["start_ms"] / 1000, "end": s["end_ms"] / 1000}
                         for s in (passed.scenes if passed else [])]
            elif category == "faces":
                value = {"count": len(passed.faces) if passed else 0, "faces": pipeline_info.get("faces", {}).get("faces", [])}
            elif category == "on_screen_text":
                value = [o["text"] for o in screen]
            elif category == "keywords":
                value = [t["name"] for t in text.topics(spoken, screen)]
            elif category == "transcript_summary":
                value = await asyncio.to_thread(summarizer.extractive, " ".join(s["text"] for s in spoken))
            elif category == "sentiment":
                found = text.sentiment(spoken)
                value = {"overall": found["overall"], "score": found["score"]}
            elif written is not None and category in deriving:
                value = written.title if category == "title" else written.description
            elif category == "moderation":
                value = passed.content_moderation if passed and passed.content_moderation else {"is_safe": True, "signals": []}
            else:  # a vision category: only reachable with the vision agent (validated at submission)
                chat = translators.language_model(ctx.ports.settings)
                thumbs = [path for role, path in (passed.files if passed else []) if role.startswith("scene:")]
                try:
                    value = await asyncio.to_thread(vision.answer, chat, metavision.BY_ID[category].description,
                                                    " ".join(s["text"] for s in spoken), thumbs)
                    tokens_out += len(value) // 4
                except translators.ProviderFailed as exc:
                    failed += 1
                    data[category] = {"error": str(exc)}
                    continue
            data[category] = {"result": value}
            succeeded += 1
        if spec.get("custom_category"):
            chat = translators.language_model(ctx.ports.settings)
            prompt = spec["custom_category"]
            system = (spec.get("system_prompt") or "{{CATEGORY_PROMPT}}").replace("{{CATEGORY_PROMPT}}", prompt)
            context = "\n".join(["Transcript:"] + [s["text"] for s in spoken] + ["On-screen text:"] + [o["text"] for o in screen])
            try:
                answer = await asyncio.to_thread(chat.complete, "Summarize what follows to answer: " + system, context)
                data["custom_category"] = {"result": answer}
                succeeded += 1
                tokens_in, tokens_out = len(system + context) // 4, len(answer) // 4
            except translators.ProviderFailed as exc:
                data["custom_category"] = {"error": str(exc)}
                failed += 1
        if transcript is not None:
            data["transcript"] = transcript
        await ctx.progress(90, stage="analyzing")
        prefix = asset_prefix(asset.tenant_id, asset.id) + f"pipeline/{ctx.job.id}/"
        uploaded = []
        for name, path, _ in files:
            size = await ctx.ports.storage.put_file(prefix + name, path, "image/jpeg")
            uploaded.append((name, prefix + name, size))
    count = len(categories) + (1 if spec.get("custom_category") else 0)
    cost = metavision.billed(media_type, count, options.get("detail", "balanced"), bool(options.get("transcribe")))
    async with ctx.uow() as uow:
        pipeline_files = {}
        for name, file_key, size in uploaded:
            row = StoredFile(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id, role="pipeline_asset",
                             key=file_key, content_type="image/jpeg", size=size, filename=name.rsplit("/", 1)[-1])
            assets_repo.add(uow.session, row)
            pipeline_files[name] = str(row.id)
        fresh = await assets_repo.get_unscoped(uow.session, asset.id)
        for name, attr in (("thumbnail.jpg", "thumbnail_file_id"), ("waveform.png", "waveform_file_id")):
            if getattr(fresh, attr):
                pipeline_files[name] = str(getattr(fresh, attr))
        await uow.session.flush()
        meta = {"request_id": str(ctx.job.id), "model_name": options.get("model_name"),
                "execution_time": round(time.perf_counter() - started, 2), "successful_categories": succeeded,
                "failed_categories": failed, "total_tokens_in": tokens_in, "total_tokens_out": tokens_out,
                "estimated_cost": cost}
        if written is not None:  # said plainly: derived locally, not written by a vision-language model
            meta["derived_categories"] = deriving
            meta["derived_from"] = written.sources
        await ctx.complete(uow, {"meta": meta, "data": data, "pipeline_info": pipeline_info,
                                 "pipeline_files": pipeline_files},
                           usage_quantity=cost, unit="credit",
                           usage_details={"media_type": media_type, "categories": categories,
                                          "quality_profile": options.get("detail"), "status":
                                          "success" if not failed else ("partial" if succeeded else "failed")})

"""Clip jobs: render one clip (one ffmpeg pass), zip several for download, and probe uploaded branding media."""
from __future__ import annotations

import asyncio
import tempfile
import uuid
from contextlib import AsyncExitStack
from pathlib import Path

from domain.assets.media import summarise
from domain.assets.service import asset_prefix
from domain.brandings import service as brandings
from domain.brandings.service import MAX_CLIP_MS
from domain.clips import geometry
from domain.clips import inputs as clip_inputs
from domain.clips import repository as clips_repo
from domain.clips import service as clips_service
from domain.clips.service import filename
from domain.db import UnitOfWork
from domain.errors import DomainError, ErrorCode, MediaUnreadable, ValidationFailed
from domain.jobs.models import Job
from domain.storage import zips
from domain.tombstones import service as tombstones
from workers.engines import clips as renderer
from workers.engines import media
from workers.engines.analysis import pipeline
from workers.runner import JobContext, handles

IMAGE_CODECS = {"png", "webp"}
STILL_CODECS = IMAGE_CODECS | {"mjpeg", "bmp", "gif", "tiff"}


async def _clip_failed(uow: UnitOfWork, job: Job) -> None:
    await clip_inputs.record_failed(uow, uuid.UUID(job.input["clip_id"]), "INTERNAL", "the render failed",
                                    keep_earlier=True)


def _autoframe(plan: renderer.Plan, track, path: Path, duration_ms: int, work: Path) -> str:
    """Point the crop window along the face/autocenter track; run the analysis now when none is stored."""
    source = "analysis"
    if track is None:
        passed = pipeline.run(path, plan.src_w, plan.src_h, duration_ms, {"scenes", "faces", "autocenter"},
                              "balanced", 0.5, work)
        start_ms = round(plan.start_s * 1000)
        track = sorted((p["ms"] - start_ms, p["x"], p["y"]) for p in passed.autocenter)
        source = "computed"
    end_ms = round(plan.duration_s * 1000)
    window = [p for p in track if -2000 <= p[0] <= end_ms + 2000]
    if not window or all(abs(x - 0.5) < 1e-6 and abs(y - 0.5) < 1e-6 for _, x, y in window):
        plan.notes.append("autoframing found no face in the range: the crop is centred")
        return "centered"
    frame = plan.frame
    if frame.crop_w < plan.src_w:
        path = geometry.crop_path([(ms, x) for ms, x, _ in window], plan.src_w, frame.crop_w, end_ms)
        plan.crop_x, plan.crop_path = geometry.expression(path), {"axis": "x", "points": path[::4] + path[-1:]}
    if frame.crop_h < plan.src_h:
        path = geometry.crop_path([(ms, y) for ms, _, y in window], plan.src_h, frame.crop_h, end_ms)
        plan.crop_y, plan.crop_path = geometry.expression(path), {"axis": "y", "points": path[::4] + path[-1:]}
    return source


async def _copy(source: Path, clip, out: Path) -> dict:
    """A stream copy: ffmpeg starts it at the keyframe at or before the start; finding that keyframe for the
    record runs alongside."""
    start_s, duration_s = clip.start_ms / 1000, (clip.end_ms - clip.start_ms) / 1000
    keyframe, _ = await asyncio.gather(asyncio.to_thread(media.keyframe_at_or_before, source, start_s),
                                       renderer.run(renderer.stream_copy(source, start_s, duration_s, out), duration_s))
    return {"stream_copy": True, "keyframe_aligned": True, "actual_start_ms": round(keyframe * 1000)}


def _plan(got: clip_inputs.RenderInputs, source: Path, local: dict[str, Path], work: Path) -> renderer.Plan:
    """The clip's one ffmpeg pass, described: range, frame, centred crop, branding and subtitles."""
    clip, info = got.clip, got.asset.media or {}
    src_w, src_h = int(info.get("width") or 0), int(info.get("height") or 0)
    frame = geometry.frame(src_w, src_h, geometry.parse_ratio(clip.aspect_ratio))
    plan = renderer.Plan(source, clip.start_ms / 1000, (clip.end_ms - clip.start_ms) / 1000, src_w, src_h,
                         float(info.get("frame_rate") or 25.0),
                         any(s.get("codec_type") == "audio" for s in info.get("streams") or []), frame,
                         crop_x=str((src_w - frame.crop_w) // 2), crop_y=str((src_h - frame.crop_h) // 2))
    variant = got.variant
    if "overlay" in local:
        plan.overlay = renderer.Overlay(local["overlay"], variant.overlay_position, variant.overlay_width_pct,
                                        variant.overlay_margin_pct, variant.overlay_opacity)
    for role in ("intro", "outro"):
        if role in local:
            row = got.media[role]
            setattr(plan, role, renderer.Bumper(local[role], (row.duration_ms or 0) / 1000, bool(row.has_audio)))
    if got.cues:
        plan.subtitles = renderer.ass_file(got.cues, {**renderer.DEFAULT_STYLE, **(got.style or {})}, frame.out_w,
                                           frame.out_h, work / "subtitles.ass")
    elif clip.subtitles_language or clip.with_sound_descriptions:
        plan.notes.append("no subtitle or sound-description cue falls in the range")
    return plan


def _options(got: clip_inputs.RenderInputs, plan: renderer.Plan, autoframing: str | None) -> dict:
    """What the render did, kept on the clip."""
    frame = plan.frame
    return {"stream_copy": False, "autoframing_source": autoframing,
            "crop": {"width": frame.crop_w, "height": frame.crop_h, "path": plan.crop_path,
                     "follows": "autocenter" if autoframing in ("analysis", "computed") else "center"},
            "output_rule": "short side min(1080, source short side); never upscaled past it",
            "intro_ms": round(plan.intro.duration_s * 1000) if plan.intro else 0,
            "outro_ms": round(plan.outro.duration_s * 1000) if plan.outro else 0, "overlay": bool(plan.overlay),
            "subtitle_cues": len(got.cues), "subtitle_style": "branding" if got.style else "default",
            "notes": plan.notes}


async def _render(ctx: JobContext, got: clip_inputs.RenderInputs, out: Path, work: Path) -> dict:
    storage, clip = ctx.ports.storage, got.clip
    async with AsyncExitStack() as stack:
        source = await stack.enter_async_context(storage.local_copy(got.source_key))
        await ctx.progress(5, stage="preparing")
        if clip.mode == "fast":
            return await _copy(source, clip, out)
        local = {role: await stack.enter_async_context(storage.local_copy(row.file_key))
                 for role, row in got.media.items()}
        plan = _plan(got, source, local, work)
        autoframing = None
        if clip.autoframing and (plan.frame.crop_w < plan.src_w or plan.frame.crop_h < plan.src_h):
            await ctx.progress(10, stage="autoframing")
            autoframing = await asyncio.to_thread(_autoframe, plan, got.track, source, got.asset.duration_ms or 0,
                                                  work)

        async def report(share: float) -> None:
            await ctx.progress(15 + int(share * 75), stage="rendering")

        await ctx.progress(15, stage="rendering")
        await renderer.run(renderer.graph(plan, out), plan.total_s, report)
        return _options(got, plan, autoframing)


@handles("clip_render", on_failure=_clip_failed)
async def render_clip(ctx: JobContext) -> None:
    clip_id = uuid.UUID(ctx.job.input["clip_id"])
    async with ctx.uow() as uow:
        got = await clip_inputs.gather(uow, clip_id)
    asset = got.asset
    try:
        with tempfile.TemporaryDirectory(prefix="mg-clip-") as tmp:
            out = Path(tmp) / filename(got.clip)
            options = await _render(ctx, got, out, Path(tmp))
            summary = summarise(await asyncio.to_thread(media.probe, out))
            await ctx.progress(92, stage="storing")
            key = asset_prefix(asset.tenant_id, asset.id) + f"clips/{clip_id}.mp4"
            size = await ctx.ports.storage.put_file(key, out, "video/mp4")
    except DomainError as error:
        async with ctx.uow() as uow:
            await clip_inputs.record_failed(uow, clip_id, error.code.value, error.message)
        raise
    video = next(s for s in summary.media["streams"] if s["codec_type"] == "video")
    async with ctx.uow() as uow:
        rendered = await clip_inputs.record_rendered(uow, clip_id, key, size, summary.duration_ms or 0,
                                                     video["width"], video["height"], options)
        if rendered is None:  # deleted while rendering: the file just written goes too, nothing is left behind
            tombstones.bury(uow, ctx.ports, key, tenant_id=asset.tenant_id)
        else:
            await ctx.complete(uow, {"clip_id": str(clip_id), "duration_ms": rendered.duration_ms,
                                     "width": rendered.width, "height": rendered.height, "size": size, **options},
                               usage_quantity=(rendered.duration_ms or 0) / 1000)
    if rendered is None:
        raise DomainError("the clip was deleted while rendering", code=ErrorCode.CANCELLED)


@handles("clip_download")
async def download_clips(ctx: JobContext) -> None:
    """Several clips as one zip in storage, written file by file (never held in memory)."""
    async with ctx.uow() as uow:
        clips = await clips_repo.by_ids(uow.session, ctx.job.tenant_id,
                                        [uuid.UUID(i) for i in ctx.job.input["clip_ids"]])
    ready = [c for c in clips if c.file_key]
    if len(ready) != len(ctx.job.input["clip_ids"]):
        raise DomainError("a clip to download is gone or not rendered")
    storage = ctx.ports.storage
    with tempfile.TemporaryDirectory(prefix="mg-zip-") as tmp:
        out = Path(tmp) / "clips.zip"
        async with AsyncExitStack() as stack:
            files = [(await stack.enter_async_context(storage.local_copy(c.file_key)), filename(c)) for c in ready]
            await ctx.progress(30, stage="zipping")
            await asyncio.to_thread(zips.write, files, out)
        await ctx.progress(80, stage="storing")
        key = asset_prefix(ctx.job.tenant_id, ctx.job.asset_id) + f"downloads/{ctx.job.id}.zip"
        size = await storage.put_file(key, out, "application/zip")
    async with ctx.uow() as uow:
        stored = await clips_service.record_download(uow, ctx.job.tenant_id, ctx.job.asset_id, ctx.job.id, key, size)
        await ctx.complete(uow, {"file_id": str(stored.id), "size": size, "clip_ids": ctx.job.input["clip_ids"]})


def _verdict(kind: str, report: dict) -> dict:
    """An overlay must be a PNG or WebP image; a branding clip a short video."""
    streams = report.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    summary = summarise(report)
    if kind == "overlay":
        if video is None or video.get("codec_name") not in IMAGE_CODECS:
            raise ValidationFailed("an overlay must be a PNG or WebP image", field=["file"])
        pix_fmt = video.get("pix_fmt") or ""
        return {"width": video.get("width"), "height": video.get("height"), "duration_ms": None,
                "has_alpha": "a" in pix_fmt.replace("gray", "").replace("yuv", "") or pix_fmt.startswith("ya"),
                "has_audio": False, "content_type": f"image/{video.get('codec_name')}"}
    if video is None or video.get("codec_name") in STILL_CODECS or not summary.duration_ms:
        raise ValidationFailed("a branding clip must be a video", field=["file"])
    if summary.duration_ms > MAX_CLIP_MS:
        raise ValidationFailed(f"a branding clip may last at most {MAX_CLIP_MS // 1000} s", field=["file"])
    return {"width": video.get("width"), "height": video.get("height"), "duration_ms": summary.duration_ms,
            "has_alpha": False, "has_audio": summary.has_audio, "content_type": "video/mp4"}


@handles("branding_upload")
async def probe_branding(ctx: JobContext) -> None:
    media_id, kind, key = uuid.UUID(ctx.job.input["media_id"]), ctx.job.input["kind"], ctx.job.input["key"]
    try:
        async with ctx.ports.storage.local_copy(key) as path:
            try:
                report = await asyncio.to_thread(media.probe, path)
            except MediaUnreadable as exc:
                raise ValidationFailed(f"the upload is not a readable {'image' if kind == 'overlay' else 'video'}: "
                                       f"{exc.message}", field=["file"]) from exc
        info = _verdict(kind, report)
    except DomainError as error:
        async with ctx.uow() as uow:
            await brandings.record_probe(uow, ctx.ports, media_id, key, None, (error.code.value, error.message))
        raise
    async with ctx.uow() as uow:
        row = await brandings.record_probe(uow, ctx.ports, media_id, key, info, None)
        await ctx.complete(uow, {"media_id": str(media_id), "kind": kind, "status": row.status if row else "deleted",
                                 **info})

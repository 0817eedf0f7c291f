"""Region-edit jobs: render the variants of a timeline range (local ffmpeg region edits at several strengths, or the
remote generation provider), measure each against the original range, and record them with their files."""
from __future__ import annotations

import asyncio
import tempfile
import uuid
from pathlib import Path

from domain.assets.service import asset_prefix
from domain.db import UnitOfWork
from domain.editor import repository as editor_repo
from domain.editor.models import Variant
from domain.errors import DomainError, MediaUnreadable
from domain.variants import providers
from domain.variants import repository as variants_repo
from workers.engines import media
from workers.engines.editing import regions, remote, scoring
from workers.runner import JobContext, handles

REMOTE_VARIANTS = 2


def _video(report: dict) -> tuple[int, int, bool]:
    streams = report.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None:
        raise MediaUnreadable("the segment's file has no video stream")
    return int(video["width"]), int(video["height"]), any(s.get("codec_type") == "audio" for s in streams)


async def _source(ctx: JobContext, uow: UnitOfWork) -> tuple[str, float]:
    """The storage key the base segment plays and the offset of the variant's range in that file."""
    data = ctx.job.input
    segment = await editor_repo.get_segment(uow.session, ctx.job.tenant_id, uuid.UUID(data["segment_id"]))
    if segment is None:
        raise DomainError("the segment was deleted before its variants were made")
    if segment.file_key:
        return segment.file_key, (data["start_ms"] - segment.bound_start_ms) / 1000
    keys = await editor_repo.original_file_keys(uow.session, ctx.job.tenant_id, [segment.asset_id])
    if segment.asset_id not in keys:
        raise DomainError("the project's source video is gone")
    return keys[segment.asset_id], data["start_ms"] / 1000


async def _remote(ctx: JobContext, source: Path, offset: float, duration: float, size: tuple[int, int, bool],
                  box: dict, work: Path) -> list[tuple[Path, float | None]]:
    """Send the range to the remote provider; its answers, re-encoded to the source's size, with no strength."""
    width, height, has_audio = size
    clip = await regions.render(source, offset, duration, "[0:v]format=yuv420p[v]", has_audio, work / "range.mp4")
    key = asset_prefix(ctx.job.tenant_id, ctx.job.asset_id) + f"editor/generation/{ctx.job.id}/range.mp4"
    await ctx.ports.storage.put_file(key, clip, "video/mp4")
    url = await ctx.ports.storage.signed_url(key, expires_s=int(ctx.runtime.settings.generation_timeout_s) + 600)

    async def polled(status) -> None:
        await ctx.progress(30, stage=f"remote {status or 'pending'}")

    await ctx.progress(20, stage="remote generation")
    got = await remote.generate(ctx.runtime.settings, prompt=ctx.job.input["prompt"], box=box, duration_s=duration,
                                media_url=url, count=REMOTE_VARIANTS, folder=work, on_poll=polled)
    outs = []
    for n, path in enumerate(got):
        _video(await asyncio.to_thread(media.probe, path))  # a readable video, or the job fails here
        graph = f"[0:v]scale={width}:{height},setsar=1,format=yuv420p[v]"
        outs.append((await regions.render(path, 0.0, duration, graph, False, work / f"variant-{n}.mp4"), None))
    return outs


async def _made(ctx: JobContext, data: dict, source: Path, work: Path) -> list[dict]:
    offset, duration = data["offset_s"], (data["end_ms"] - data["start_ms"]) / 1000
    width, height, has_audio = _video(await asyncio.to_thread(media.probe, source))
    box = regions.pixel_box(data["bounding_box"], width, height)
    operation = data["operation"]
    if data["provider"] == providers.REMOTE:
        rendered = await _remote(ctx, source, offset, duration, (width, height, has_audio), data["bounding_box"], work)
    else:
        rendered = []
        for n, strength in enumerate(data["strengths"]):
            await ctx.progress(10 + 50 * n // len(data["strengths"]), stage="rendering")
            graph = regions.video_filter(operation, strength, box, width, height)
            rendered.append((await regions.render(source, offset, duration, graph, has_audio, work / f"variant-{n}.mp4"),
                             strength))
    await ctx.progress(65, stage="scoring")
    original = await asyncio.to_thread(scoring.frames, source, offset, duration, width, height)
    at = duration / 2
    original_jpeg = (await regions.preview(source, offset + at, work / "original.jpg")).read_bytes()
    settings = ctx.runtime.settings
    made = []
    for n, (path, strength) in enumerate(rendered):
        frames = await asyncio.to_thread(scoring.frames, path, 0.0, duration, width, height)
        metrics = await asyncio.to_thread(scoring.measure, original, frames, box, operation, strength or 1.0)
        preview = await regions.preview(path, at, work / f"variant-{n}.jpg")
        vision = None
        if providers.vision_configured(settings):
            vision = await asyncio.to_thread(scoring.vision_verdict, settings, data["prompt"], data["bounding_box"],
                                             original_jpeg, preview.read_bytes())
        made.append({"index": n, "path": path, "preview": preview, "operation": {
            "operation": operation, "strength": strength, "provider": data["provider"], "index": n,
            "segment_id": data["segment_id"], "box_px": box.as_dict(), "size": {"width": width, "height": height},
            "metrics": metrics, "vision": vision}})
    return made


@handles("region_edit")
async def region_edit(ctx: JobContext) -> None:
    data = dict(ctx.job.input)
    async with ctx.uow() as uow:
        key, data["offset_s"] = await _source(ctx, uow)
    storage = ctx.ports.storage
    with tempfile.TemporaryDirectory(prefix="mg-variants-") as tmp:
        async with storage.local_copy(key) as source:
            await ctx.progress(5, stage="preparing")
            made = await _made(ctx, data, source, Path(tmp))
        await ctx.progress(90, stage="storing")
        prefix = asset_prefix(ctx.job.tenant_id, ctx.job.asset_id) + "editor/variants/"
        rows = []
        for item in made:
            ident = uuid.uuid4()
            file_key, preview_key = prefix + f"{ident}.mp4", prefix + f"{ident}.jpg"
            await storage.put_file(file_key, item["path"], "video/mp4")
            await storage.put_file(preview_key, item["preview"], "image/jpeg")
            rows.append(Variant(id=ident, tenant_id=ctx.job.tenant_id, project_id=uuid.UUID(data["project_id"]),
                                job_id=ctx.job.id, prompt=data["prompt"], operation=item["operation"],
                                start_ms=data["start_ms"], end_ms=data["end_ms"], box=data["bounding_box"],
                                file_key=file_key, preview_key=preview_key))
    async with ctx.uow() as uow:
        if await editor_repo.get_project(uow.session, ctx.job.tenant_id, uuid.UUID(data["project_id"])) is None:
            raise DomainError("the project was deleted while its variants were made")
        for row in rows:
            variants_repo.add(uow.session, row)
        await ctx.complete(uow, {"project_id": data["project_id"], "operation": data["operation"],
                                 "provider": data["provider"], "variant_ids": [str(r.id) for r in rows]},
                           usage_quantity=(data["end_ms"] - data["start_ms"]) / 1000 * len(rows))

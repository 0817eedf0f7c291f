"""The timeline export job: render the project's timeline (as it was when the export was asked) to one MP4 with the
smart renderer, store it under the project and record what was copied and what was encoded."""
from __future__ import annotations

import asyncio
import tempfile
import uuid
from contextlib import AsyncExitStack
from pathlib import Path

from domain.timeline_exports import service as exports
from workers.engines.editing import smart_render
from workers.runner import JobContext, handles


@handles(exports.KIND)
async def timeline_export(ctx: JobContext) -> None:
    spec = ctx.job.input
    pieces = spec["pieces"]
    await ctx.progress(5, stage="preparing")
    reported, one_at_a_time = 5, asyncio.Lock()  # parts finish concurrently; the job row takes one change at a time

    async def rendering(share: float) -> None:
        nonlocal reported
        async with one_at_a_time:
            percent = 10 + int(80 * share)
            if percent - reported >= 10:  # a few events, not one per part
                reported = percent
                await ctx.progress(percent, stage="rendering")

    with tempfile.TemporaryDirectory(prefix="mg-export-") as tmp:
        work = Path(tmp)
        async with AsyncExitStack() as stack:
            local = {key: Path(await stack.enter_async_context(ctx.ports.storage.local_copy(key)))
                     for key in dict.fromkeys(p["key"] for p in pieces)}
            report = await smart_render.render(
                [smart_render.Piece(local[p["key"]], float(p["start_s"]), float(p["duration_s"])) for p in pieces],
                work / f"export.{spec['format']}", work / "parts", rendering)
        await ctx.progress(92, stage="storing")
        key = exports.output_key(ctx.job.tenant_id, spec["project_id"], ctx.job.id, spec["format"])
        size = await ctx.ports.storage.put_file(key, work / f"export.{spec['format']}", "video/mp4")
    async with ctx.uow() as uow:
        await ctx.complete(uow, {
            "file_key": key, "project_id": spec["project_id"], "format": spec["format"], "size": size,
            "duration_s": report.duration_s, "frames": report.frames, "frame_rate": float(report.fps),
            "copied_frames": report.copied_frames, "encoded_frames": report.encoded_frames,
            "segments": [str(uuid.UUID(p["segment_id"])) for p in pieces]}, usage_quantity=report.duration_s)

"""The colour grade job: render the segment's range graded, then put the render on the timeline in its place."""
from __future__ import annotations

import asyncio
import tempfile
import uuid
from pathlib import Path

from domain.editor import repository as editor_repo
from domain.editor import service as editor
from domain.editor.models import GENERATED
from domain.errors import Conflict, NotFound
from workers.engines.editing import frames
from workers.runner import JobContext, handles


@handles("color_grade")
async def color_grade(ctx: JobContext) -> None:
    tenant_id = ctx.job.tenant_id
    segment_id = uuid.UUID(ctx.job.input["segment_id"])
    grade = ctx.job.input["grade"]
    async with ctx.uow() as uow:
        segment = await editor_repo.get_segment(uow.session, tenant_id, segment_id)
        if segment is None:
            raise NotFound("segment", segment_id)
        key, start_s, duration_s = await editor.segment_media(uow, segment)
    await ctx.progress(10, stage="rendering")
    target = f"{editor.project_prefix(tenant_id, segment.project_id)}graded/{ctx.job.id}.mp4"
    with tempfile.TemporaryDirectory(prefix="mg-grade-") as tmp:
        async with ctx.ports.storage.local_copy(key) as path:
            out = await asyncio.to_thread(frames.render_graded, Path(path), start_s, duration_s, grade,
                                          Path(tmp) / "graded.mp4")
        await ctx.progress(80, stage="storing")
        await ctx.ports.storage.put_file(target, out, "video/mp4")
    async with ctx.uow() as uow:
        segment = await editor_repo.get_segment(uow.session, tenant_id, segment_id)
        if segment is None or not segment.active:
            raise Conflict("the segment was edited while its grade rendered; grade the segment now in its place")
        graded = await editor.overlay(uow, tenant_id, segment, start_ms=segment.start_ms, end_ms=segment.end_ms,
                                      source=GENERATED, file_key=target, grade=grade, job_id=ctx.job.id)
        await ctx.complete(uow, {"segment_id": str(graded.id), "replaced_segment_id": str(segment_id),
                                 "project_id": str(segment.project_id), "file_key": target, "grade": grade},
                           usage_quantity=duration_s)

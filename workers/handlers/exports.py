"""The export job: one clip, subtitle file or metadata document written to a tenant's external storage."""
from __future__ import annotations

import tempfile
from contextlib import AsyncExitStack
from pathlib import Path

from domain.exports import content
from domain.exports import service as exports
from workers.engines import destinations
from workers.runner import JobContext, handles


@handles("export")
async def export(ctx: JobContext) -> None:
    async with ctx.uow() as uow:
        prepared = await content.prepare(uow, ctx.job.tenant_id, ctx.job.input)
        external_id = await exports.external_id(uow, ctx.job.tenant_id) if prepared.storage.type == "aws_s3" else None
    storage = prepared.storage
    auth = exports.credentials(ctx.ports, storage)
    await ctx.progress(20, stage="writing")
    with tempfile.TemporaryDirectory(prefix="mg-export-") as tmp:
        async with AsyncExitStack() as stack:
            if prepared.file_key:
                path = await stack.enter_async_context(ctx.ports.storage.local_copy(prepared.file_key))
            else:
                path = Path(tmp) / "document"
                path.write_bytes(prepared.data)
            written = await destinations.write(storage.name, storage.type, storage.destination, auth,
                                               ctx.ports.settings, prepared.key, path, prepared.content_type,
                                               external_id=external_id)
    async with ctx.uow() as uow:
        await exports.record_export(uow, ctx.job.tenant_id, storage.id)
        await ctx.complete(uow, {"external_storage_id": str(storage.id), "type": storage.type,
                                 "location": written.location, "key": written.key, "size": written.size,
                                 "written": written.written, "what": ctx.job.input["what"]})

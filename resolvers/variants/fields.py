"""Fields of Variant and GenerationJob: signed URLs, status words, a job's variants."""
from __future__ import annotations

from domain.variants import service
from resolvers.links import expiry_seconds


async def signed(info, key: str | None, expires_in: int | None, content_type: str) -> str | None:
    if not key:
        return None
    return await info.context.ports.storage.signed_url(key, expiry_seconds(expires_in), content_type=content_type)


def status_word(job) -> str:
    return service.STATUS_WORDS.get(job.status, job.status)


def project_id(job) -> str | None:
    return service.project_of(job)


async def variants(job, info) -> list:
    ctx = info.context
    found = await service.variants_of(ctx.uow, ctx.require_viewer().tenant_id, [job.id])
    return found[job.id]

"""Recording usage; a redelivered job never bills twice (checked here, and a unique constraint on job_id)."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs.models import Job
from domain.usage import repository
from domain.usage.models import UsageRecord


async def record(session: AsyncSession, job: Job, quantity: float, unit: str = "second", details: dict | None = None) -> None:
    if await repository.for_job(session, job.id):
        return
    repository.add(session, UsageRecord(tenant_id=job.tenant_id, job_id=job.id, kind=job.kind,
                                        quantity=round(float(quantity), 3), unit=unit, details=details))

"""Job mutations."""
from __future__ import annotations

from domain.jobs import service
from resolvers.payloads import mutate


async def cancel_job(info, job_id: str, kind=None):
    async def work(uow, ports, viewer):
        return {"job": await service.cancel(uow, ports, viewer, job_id, getattr(kind, "value", kind))}

    return await mutate(info, work)

"""The webhook signing-secret rotation mutation."""
from __future__ import annotations

from strawberry import Info

from domain.webhooks import service
from resolvers.payloads import mutate


async def rotate_secret(info: Info):
    async def work(uow, ports, viewer):
        return {"secret": await service.rotate_secret(uow, ports.settings.secret_key, viewer.tenant_id)}

    return await mutate(info, work)

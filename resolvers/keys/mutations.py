"""API key mutations."""
from __future__ import annotations

from domain.tenancy import service as tenancy
from resolvers.payloads import mutate


async def revoke(info, prefix: str | None):
    async def work(uow, ports, viewer):
        return {"revoked_prefix": await tenancy.revoke_key(uow.session, viewer, prefix)}

    return await mutate(info, work)

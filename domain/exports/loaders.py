"""Batch loads for exports: the export identities of the tenants whose storages a page shows."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.exports import repository


async def identities_by_tenant(session: AsyncSession, viewer_tenant_id: uuid.UUID | None, keys: Sequence[uuid.UUID]):
    """Keys are tenants of storages the viewer was already allowed to read (an admin's page spans tenants)."""
    found = {i.tenant_id: i for i in await repository.identities(session, keys)}
    return [found.get(k) for k in keys]

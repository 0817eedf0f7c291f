"""Viewer (the tenant and key a request acts as) and Health."""
from __future__ import annotations

import strawberry


@strawberry.type
class Viewer:
    name: str
    is_admin: bool

    @strawberry.field
    def tenant_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.tenant_id))


@strawberry.type
class Health:
    status: str
    storage: str
    broker: str

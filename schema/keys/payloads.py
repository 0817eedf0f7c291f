"""Payload of revokeApiKey."""
from __future__ import annotations

import strawberry

from schema.common import UserError


@strawberry.type
class RevokeApiKeyPayload:
    revoked_prefix: str | None
    errors: list[UserError]

"""Payload of the webhook secret rotation."""
from __future__ import annotations

import strawberry

from schema.common import UserError


@strawberry.type
class WebhookSecretPayload:
    secret: str | None = strawberry.field(description="Keep it: it is never shown again.")
    errors: list[UserError]

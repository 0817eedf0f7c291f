"""Root fields of webhooks: the signing-secret rotation."""
from __future__ import annotations

import strawberry

from resolvers.webhooks import mutations
from schema.webhooks.payloads import WebhookSecretPayload


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(description="A new webhook signing secret (Standard Webhooks), shown this once.")
    async def rotate_webhook_secret(self, info: strawberry.Info) -> WebhookSecretPayload:
        return await mutations.rotate_secret(info)

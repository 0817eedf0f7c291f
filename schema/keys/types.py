"""revokeApiKey: its input, payload and the mutation field merged into the Mutation root."""
from __future__ import annotations

import strawberry

from resolvers import keys
from schema.common import UserError


@strawberry.input
class RevokeApiKeyInput:
    prefix: str | None = strawberry.field(
        default=None, description="The key's public prefix (its OAuth client_id); unset: the key making this call. "
                                  "Another key of the account needs an admin key.")


@strawberry.type
class RevokeApiKeyPayload:
    revoked_prefix: str | None
    errors: list[UserError]


@strawberry.type
class KeyMutation:
    @strawberry.mutation(description="Revoke an API key: it fails from the next request on, and websockets opened "
                                     "with it close within KEY_RECHECK_S seconds.")
    async def revoke_api_key(self, info: strawberry.Info,
                             input: RevokeApiKeyInput | None = None) -> RevokeApiKeyPayload:
        return await keys.revoke(info, input.prefix if input else None)

"""Root fields of API keys: revokeApiKey, merged into the Mutation root."""
from __future__ import annotations

import strawberry

from resolvers.keys import mutations
from schema.keys.inputs import RevokeApiKeyInput
from schema.keys.payloads import RevokeApiKeyPayload


@strawberry.type
class KeyMutation:
    @strawberry.mutation(description="Revoke an API key: it fails from the next request on, and websockets opened "
                                     "with it close within KEY_RECHECK_S seconds.")
    async def revoke_api_key(self, info: strawberry.Info,
                             input: RevokeApiKeyInput | None = None) -> RevokeApiKeyPayload:
        return await mutations.revoke(info, input.prefix if input else None)

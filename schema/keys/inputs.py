"""Input of revokeApiKey."""
from __future__ import annotations

import strawberry


@strawberry.input
class RevokeApiKeyInput:
    prefix: str | None = strawberry.field(
        default=None, description="The key's public prefix (its OAuth client_id); unset: the key making this call. "
                                  "Another key of the account needs an admin key.")

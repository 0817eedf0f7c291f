"""Short-lived JWTs issued for OAuth2 client credentials, and verification of external OIDC tokens."""
from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass

import jwt

AUDIENCE = "mediagraph"


def looks_like_jwt(raw: str) -> bool:
    return raw.count(".") == 2 and not raw.startswith("mg_")


def issue(secret: str, issuer: str, *, tenant_id: uuid.UUID, key_id: uuid.UUID, ttl_s: int) -> str:
    now = int(time.time())
    claims = {"iss": issuer, "aud": AUDIENCE, "sub": str(tenant_id), "kid": str(key_id), "iat": now, "exp": now + ttl_s}
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_issued(secret: str, issuer: str, token: str) -> dict | None:
    try:
        return jwt.decode(token, secret, algorithms=["HS256"], audience=AUDIENCE, issuer=issuer,
                          options={"require": ["exp", "sub", "kid"]})
    except jwt.PyJWTError:
        return None


@dataclass
class OidcVerifier:
    """Tokens of an external identity provider, checked against its JWKS (RS256/ES256)."""

    issuer: str
    audience: str
    jwks_url: str
    tenant_claim: str = "tenant"

    def __post_init__(self):
        self._jwks = jwt.PyJWKClient(self.jwks_url, cache_keys=True, lifespan=300, timeout=5)

    async def verify(self, token: str) -> dict | None:
        # The JWKS fetch (cached) is blocking I/O: keep it off the event loop.
        return await asyncio.to_thread(self._verify, token)

    def _verify(self, token: str) -> dict | None:
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            return jwt.decode(token, key.key, algorithms=["RS256", "ES256"], audience=self.audience,
                              issuer=self.issuer, options={"require": ["exp", "sub"]})
        except (jwt.PyJWTError, jwt.PyJWKClientError):
            return None

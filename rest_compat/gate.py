"""Who pays for a request (its tenant, or its address before that is known) and whether the budget allows it.

REST rows, /graphql, its websockets and /oauth/token all spend through the one Gate an app holds."""
from __future__ import annotations

import hashlib
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from litestar.exceptions import HTTPException

from domain.errors import AccountDisabled

RATE_MESSAGE = "rate limit exceeded; retry after the time in Retry-After"
FAILURE_MESSAGE = "too many failed authentications from this address; retry after the time in Retry-After"
_KNOWN = 10_000  # credentials whose tenant this process remembers


@dataclass(frozen=True)
class Refusal:
    retry_after: int
    message: str = RATE_MESSAGE

    @property
    def headers(self) -> dict:
        return {"Retry-After": str(self.retry_after)}


class RateLimited(HTTPException):
    """A refusal raised where only an exception can answer (GraphQL's context getter)."""

    status_code = 429

    def __init__(self, refusal: Refusal):
        super().__init__(detail=refusal.message, status_code=429, headers=refusal.headers)


def address_of(scope) -> str:
    """The client's address (behind a trusted proxy, uvicorn has already put the forwarded one here)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _fingerprint(credential: str) -> str:
    return hashlib.sha256(credential.encode()).hexdigest()


class Gate:
    def __init__(self, settings, throttle):
        self.settings = settings
        self.throttle = throttle  # domain.throttle.Throttle, built by app.py: rest_compat reaches no domain service
        # Which tenant a credential belongs to never changes, so remembering it only picks the budget to spend
        # from; whether the credential is still valid is checked by the handler on every request.
        self._tenants: OrderedDict[str, uuid.UUID] = OrderedDict()
        self._checks: OrderedDict[str, tuple[bool, float]] = OrderedDict()  # fingerprint -> (valid, when)

    # ------------------------------------------------------------ before authentication
    async def blocked(self, address: str) -> Refusal | None:
        """An address past its failed-authentication budget is refused before its credential is looked at."""
        wait = await self.throttle.exhausted("auth-failures", address, self.settings.auth_failures_per_minute)
        return Refusal(wait, FAILURE_MESSAGE) if wait else None

    async def failed(self, address: str) -> None:
        await self.throttle.spend("auth-failures", address, self.settings.auth_failures_per_minute)

    async def token_request(self, address: str) -> Refusal | None:
        """/oauth/token trades a secret for a token: every request spends from its address's budget."""
        refused = await self.blocked(address)
        if refused:
            return refused
        wait = await self.throttle.spend("oauth-token", address, self.settings.token_requests_per_minute)
        return Refusal(wait) if wait else None

    # ------------------------------------------------------------ after authentication
    async def charge(self, surface: str, tenant_id: uuid.UUID, per_minute: int | None = None) -> Refusal | None:
        """One request of a tenant on a surface (/graphql or a dialect), against that surface's budget."""
        limit = self.settings.rate_limit_per_minute if per_minute is None else per_minute
        wait = await self.throttle.spend(surface, str(tenant_id), limit)
        return Refusal(wait) if wait else None

    async def authenticated(self, authenticate, credential: str | None, address: str):
        """Authenticate once for a caller that keeps the viewer (GraphQL): blocked addresses are refused
        before the lookup, an unknown credential counts against its address. AccountDisabled propagates."""
        if credential is None:
            return None
        refused = await self.blocked(address)
        if refused:
            raise RateLimited(refused)
        viewer = await authenticate(credential)
        if viewer is None:
            await self.failed(address)
        return viewer

    async def admit(self, authenticate, credential: str | None, address: str, surface: str,
                    per_minute: int | None = None) -> Refusal | None:
        """For handlers that authenticate for themselves (REST rows): refuse or charge, before they run."""
        if credential is None:
            return None  # the row answers 401 (or serves a public route) without a lookup to guess against
        refused = await self.blocked(address)
        if refused:
            return refused
        fingerprint = _fingerprint(credential)
        tenant_id = self._tenants.get(fingerprint)
        if tenant_id is None:
            try:
                viewer = await authenticate(credential)
            except AccountDisabled:
                return None  # a known key: the row answers 403
            if viewer is None:
                await self.failed(address)
                return None
            tenant_id = self._remember(fingerprint, viewer.tenant_id)
        else:
            self._tenants.move_to_end(fingerprint)
        return await self.charge(surface, tenant_id, per_minute)

    async def still_valid(self, authenticate, credential: str, max_age_s: float = 0.0) -> bool:
        """Whether a credential still authenticates, from a check at most max_age_s old: open websockets re-check
        every few seconds, and many sockets of one key share one lookup."""
        fingerprint, now = _fingerprint(credential), time.monotonic()
        checked = self._checks.get(fingerprint)
        if checked is not None and now - checked[1] < max_age_s:
            return checked[0]
        try:
            valid = await authenticate(credential) is not None
        except AccountDisabled:
            valid = False
        self._checks[fingerprint] = (valid, now)
        self._checks.move_to_end(fingerprint)
        while len(self._checks) > _KNOWN:
            self._checks.popitem(last=False)
        return valid

    def _remember(self, fingerprint: str, tenant_id: uuid.UUID) -> uuid.UUID:
        self._tenants[fingerprint] = tenant_id
        while len(self._tenants) > _KNOWN:
            self._tenants.popitem(last=False)
        return tenant_id

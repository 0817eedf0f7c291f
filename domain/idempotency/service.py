"""Claiming a tenant's idempotency key, recording the first answer with the creation, replaying it, expiring it.

A request with a key first claims it in a short transaction of its own (a pending row, unique per tenant and key).
The claimed request's work then completes the row in the work's own transaction, so the creation and its record
commit together or not at all; a failed request releases the key (errors are not replayed: nothing was created).
The same key again: the same request replays, another request is IDEMPOTENCY_KEY_REUSED, one still running is
IDEMPOTENCY_KEY_IN_USE. A pending claim older than LEASE (its request died) may be taken over; completing checks
the claim's token, so the request that lost it rolls back instead of creating twice."""
from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from domain import secrets
from domain.db import UnitOfWork, utcnow
from domain.errors import DomainError, ErrorCode, ValidationFailed
from domain.idempotency import answers, repository
from domain.idempotency.models import DONE

log = logging.getLogger(__name__)
TTL = timedelta(hours=24)
LEASE = timedelta(minutes=5)
MAX_LENGTH = 255
PURPOSE = "idempotency-answer"


class KeyReused(DomainError):
    code = ErrorCode.IDEMPOTENCY_KEY_REUSED


class KeyInUse(DomainError):
    code = ErrorCode.IDEMPOTENCY_KEY_IN_USE


@dataclass(frozen=True)
class Claim:
    """A key this request holds until its work commits (complete) or fails (release)."""

    row_id: uuid.UUID
    token: uuid.UUID
    tenant_id: uuid.UUID
    field: list[str]


@dataclass(frozen=True)
class Replay:
    """The first request's record: its created objects (result) and, for REST, the answer as sent (response)."""

    row_id: uuid.UUID
    result: str | None
    response: str | None


def checked(key: str, field: list[str]) -> str:
    """IETF draft and Stripe: a printable ASCII string; at most MAX_LENGTH characters here."""
    if not key or len(key) > MAX_LENGTH or not all(" " <= c <= "~" for c in key):
        raise ValidationFailed(f"an idempotency key is 1 to {MAX_LENGTH} printable ASCII characters", field=field)
    return key


def fingerprint(*parts) -> str:
    """sha256 of the request's parts as canonical JSON (sorted keys), so key order and spacing do not matter."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def claim(uow: UnitOfWork, tenant_id: uuid.UUID, key: str, fingerprint_: str, scope: str,
                field: list[str]) -> Claim | Replay:
    token, now = uuid.uuid4(), utcnow()
    await repository.insert_unless_held(uow.session, tenant_id, key, fingerprint_, scope, token, now - TTL)
    row = await repository.find(uow.session, tenant_id, key)
    if row.token == token:
        return Claim(row.id, token, tenant_id, field)
    if row.fingerprint != fingerprint_:
        raise KeyReused(f"this idempotency key was used for another request ({row.scope}) in the last "
                        f"{TTL.total_seconds() / 3600:.0f} hours; use a new key for a new request",
                        field=field)
    if row.state == DONE:
        return Replay(row.id, row.result, row.response)
    if row.claimed_at > now - LEASE or not await repository.take_over(uow.session, row.id, row.token, token):
        raise KeyInUse("a request with this idempotency key is still in progress; retry once it has finished",
                       field=field)
    return Claim(row.id, token, tenant_id, field)


async def complete(uow: UnitOfWork, secret_key: str, held: Claim, values: dict) -> None:
    """Record what the work made, in the work's transaction; a claim lost meanwhile undoes the work."""
    await uow.session.flush()  # the created rows have their identities
    try:
        result = secrets.encrypt(secret_key, PURPOSE, json.dumps(answers.encode(values)))
    except answers.Unreplayable as why:  # recorded as done all the same: a retry must not create again
        log.warning("idempotent answer kept without its values: %s", why)
        result = None
    if not await repository.complete(uow.session, held.row_id, held.token, result):
        raise KeyInUse("this request's idempotency key was taken over by a retry; nothing was done",
                       field=held.field)


async def release(uow: UnitOfWork, held: Claim) -> None:
    await repository.release(uow.session, held.row_id, held.token)


async def replayed_values(uow: UnitOfWork, secret_key: str, tenant_id: uuid.UUID, replay: Replay,
                          field: list[str]) -> dict:
    if replay.result is None:
        raise DomainError("the request with this idempotency key was done, but its answer cannot be shown again",
                          code=ErrorCode.CONFLICT, field=field)
    encoded = json.loads(secrets.decrypt(secret_key, PURPOSE, replay.result))
    return await answers.decode(uow.session, tenant_id, encoded)


async def remember_response(uow: UnitOfWork, secret_key: str, held: Claim, response: dict) -> None:
    """The REST answer exactly as sent, kept after the commit (a crash before this replays from `result`)."""
    await repository.remember_response(uow.session, held.row_id, held.token,
                                       secrets.encrypt(secret_key, PURPOSE, json.dumps(response)))


async def stored_response(uow: UnitOfWork, secret_key: str, tenant_id: uuid.UUID, key: str,
                          fingerprint_: str) -> dict | None:
    """The answer to send again when the same request already finished under this key, else None."""
    row = await repository.find(uow.session, tenant_id, key)
    if row is None or row.response is None or row.fingerprint != fingerprint_ or row.created_at < utcnow() - TTL:
        return None
    return json.loads(secrets.decrypt(secret_key, PURPOSE, row.response))


async def sweep(sessionmaker, batch: int = 1000) -> int:
    """Keys older than TTL (their requests may be repeated as new ones), a batch per transaction until none is left."""
    swept = 0
    while True:
        async with UnitOfWork(sessionmaker) as uow:
            gone = await repository.delete_expired(uow.session, utcnow() - TTL, batch)
        swept += gone
        if gone < batch:
            return swept

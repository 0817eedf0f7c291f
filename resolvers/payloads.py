"""Running a mutation in its own transaction, under the request's idempotency key, turning domain errors into
payload errors."""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.db import UnitOfWork
from domain.errors import DomainError, ErrorCode
from domain.idempotency import service as idempotency
from domain.idempotency.service import Claim
from domain.pagination import encode_cursor

log = logging.getLogger(__name__)


@dataclass
class UserErrorView:
    field: list[str] | None
    code: ErrorCode
    message: str


class Payload:
    """A mutation's answer: the named results, or `errors` (unset results read as null)."""

    def __init__(self, errors: list[UserErrorView] | None = None, **values: Any):
        self.errors = errors or []
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> None:
        return None


async def mutate(info, work: Callable[..., Awaitable[dict]]) -> Payload:
    """One transaction per mutation field: committed when `work` succeeds, rolled back on any error.

    With an idempotency key (below) the key is claimed first, recorded in the same transaction as the work and
    released when the work fails; a repeated request gets the first one's objects without any work."""
    ctx = info.context
    viewer = ctx.require_viewer()
    asked = take()
    uow = ctx.new_uow()
    try:
        replayed = await claim_key(ctx.state, viewer, asked, uow) if asked else None
        if replayed is not None:
            return Payload(**replayed)
        values = await work(uow, ctx.ports, viewer)
        if asked:
            await record_key(ctx.state, asked, uow, values)
        discarded = uow.rollback_only
        await uow.commit()
        if asked:
            asked.committed = not discarded
        return Payload(**values)
    except DomainError as error:
        await uow.rollback()
        return Payload(errors=[UserErrorView(error.field, error.code, error.message)])
    except Exception:
        await uow.rollback()
        raise
    finally:
        await uow.close()
        await release_key(ctx.state, asked)


@dataclass
class Edge:
    cursor: str
    node: Any


@dataclass
class PageInfoView:
    has_next_page: bool
    end_cursor: str | None


@dataclass
class Connection:
    edges: list[Edge]
    page_info: PageInfoView
    total_count: int


def connection(page) -> Connection:
    edges = [Edge(encode_cursor(item.created_at, item.id), item) for item in page.items]
    return Connection(edges, PageInfoView(page.has_next, page.end_cursor), page.total)


# ------------------------------------------------------------ idempotency keys
# A request's key on its way to `mutate`, asked by a GraphQL argument (schema/idempotency.py) or a REST header
# (rest_compat/idempotency.py). It travels in a context variable, so neither the resolvers between nor the REST rows
# pass it: the request's one `mutate` takes it, claims it, records the answer with the work, releases it on failure.
_ASKED: ContextVar["Asked | None"] = ContextVar("idempotency_asked", default=None)


@dataclass
class Asked:
    """A key with what the request's fingerprint covers (the tenant is added when it is claimed)."""

    key: str
    parts: tuple
    scope: str
    field: list[str]
    taken: bool = False
    claim: Claim | None = None  # held while the work runs
    committed: bool = False  # the work and its record committed under the claim
    replayed: bool = False


@contextmanager
def asking(asked: Asked | None):
    token = _ASKED.set(asked) if asked is not None else None
    try:
        yield asked
    finally:
        if token is not None:
            _ASKED.reset(token)


def take() -> Asked | None:
    """The request's key, for the first mutation that asks (one creation per key)."""
    asked = _ASKED.get()
    if asked is None or asked.taken:
        return None
    asked.taken = True
    return asked


def plain(value):
    """Arguments as JSON-able values for the fingerprint: inputs as dicts, uploads as their content's digest."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, (uuid.UUID, datetime, date)):
        return str(value)
    source = getattr(value, "file", value)
    if hasattr(source, "read") and hasattr(source, "seek"):
        return {"sha256": digest(source)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)  # UNSET and other markers


def digest(source) -> str:
    source.seek(0)
    sha = hashlib.sha256()
    while chunk := source.read(1 << 20):
        sha.update(chunk if isinstance(chunk, bytes) else chunk.encode())
    source.seek(0)
    return sha.hexdigest()


def checked(key: str, field: list[str]) -> str:
    return idempotency.checked(key, field)


def _fingerprint(asked: Asked, tenant_id) -> str:
    return idempotency.fingerprint(str(tenant_id), *asked.parts)


async def claim_key(state, viewer, asked: Asked, uow: UnitOfWork) -> dict | None:
    """Hold the key (its own short transaction); the first answer's values when this request already ran."""
    key = idempotency.checked(asked.key, asked.field)
    async with UnitOfWork(state.sessionmaker) as own:
        found = await idempotency.claim(own, viewer.tenant_id, key, _fingerprint(asked, viewer.tenant_id),
                                        asked.scope, asked.field)
    if isinstance(found, idempotency.Replay):
        asked.replayed = True
        return await idempotency.replayed_values(uow, state.settings.secret_key, viewer.tenant_id, found, asked.field)
    asked.claim = found
    return None


async def record_key(state, asked: Asked, uow: UnitOfWork, values: dict) -> None:
    await idempotency.complete(uow, state.settings.secret_key, asked.claim, values)


async def release_key(state, asked: Asked | None) -> None:
    """After a failure: the key is free again (nothing was created, so a retry may run)."""
    if asked is None or asked.claim is None or asked.committed:
        return
    async with UnitOfWork(state.sessionmaker) as own:
        await idempotency.release(own, asked.claim)
    asked.claim = None


async def stored_response(state, viewer, asked: Asked) -> dict | None:
    """REST: the answer sent the first time, when this same request already finished under the key."""
    key = idempotency.checked(asked.key, asked.field)
    async with UnitOfWork(state.sessionmaker) as uow:
        return await idempotency.stored_response(uow, state.settings.secret_key, viewer.tenant_id, key,
                                                 _fingerprint(asked, viewer.tenant_id))


async def remember_response(state, asked: Asked, response: dict) -> None:
    if not asked.committed or asked.claim is None:
        return
    async with UnitOfWork(state.sessionmaker) as uow:
        await idempotency.remember_response(uow, state.settings.secret_key, asked.claim, response)

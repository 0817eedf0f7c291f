"""The job event log: where a job's change becomes an event (its tenant's next sequence) and how it is published.

Every event is a row of `job_events`, written in the transaction that changed the job, numbered per tenant with no
gap and in commit order. On PostgreSQL a deferred trigger numbers the rows as the commit runs (migration 0019), so
the tenant's counter is locked for the server's commit alone, never across a round trip to a writer that may be
descheduled (a long lane at nice 10); on SQLite, one writer at a time anyway, the numbers are taken at the very end
of the transaction (a staged write of the unit of work). After commit the events are published on the bus with
their sequence, best-effort: a subscriber that missed one replays it with `since`."""
from __future__ import annotations

import asyncio
import itertools
import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import timedelta

from domain.db import UnitOfWork, utcnow
from domain.errors import DomainError, ErrorCode
from domain.events import repository
from domain.jobs.snapshot import JobSnapshot
from domain.ports import Ports

log = logging.getLogger(__name__)

STAGE = "job-events"
# A bus that hangs (a Redis blip) delays the caller at most this long; the event is in the log either way.
PUBLISH_TIMEOUT_S = 2.0


@dataclass
class _Event:
    """One event of a transaction: its snapshot (numbered once known) and the id of its row."""
    snapshot: JobSnapshot
    row_id: uuid.UUID = field(default_factory=uuid.uuid4)


def record(uow: UnitOfWork, ports: Ports, snapshot: JobSnapshot) -> None:
    """Log the job's event in this transaction and publish it, sequenced, once the transaction commits."""
    pending = uow.staged(STAGE, lambda events: _write(uow, events))
    if not pending:  # the transaction's first event: publication is queued here, in the order of the callbacks
        uow.after_commit(lambda: _publish(uow.sessionmaker, ports, pending))
    pending.append(_Event(snapshot))


def _tenant(event: _Event) -> str:
    return str(event.snapshot.tenant_id)


async def _write(uow: UnitOfWork, events: list[_Event]) -> None:
    """Write the events tenant by tenant (one lock order for every writer: no deadlock across tenants), numbering
    them here unless the database numbers them at commit."""
    ordered = sorted(events, key=_tenant)  # stable: a tenant's events keep the transaction's order
    if not repository.numbered_at_commit(uow.session):
        for _, group in itertools.groupby(ordered, key=_tenant):
            group = list(group)
            last = await repository.take(uow.session, group[0].snapshot.tenant_id, len(group))
            for sequence, event in enumerate(group, start=last - len(group) + 1):
                event.snapshot = replace(event.snapshot, sequence=sequence)
    now = utcnow()
    await repository.add(uow.session, [
        {"id": event.row_id, "tenant_id": event.snapshot.tenant_id, "sequence": event.snapshot.sequence,
         "job_id": event.snapshot.id, "payload": event.snapshot.to_json(), "created_at": now} for event in ordered])


async def _publish(sessionmaker, ports: Ports, events: list[_Event]) -> None:
    unnumbered = [event for event in events if event.snapshot.sequence is None]
    if unnumbered:  # numbered by the commit: read the numbers it gave (no lock held by anyone meanwhile)
        try:
            async with UnitOfWork(sessionmaker) as uow:
                numbers = await repository.numbers(uow.session, [event.row_id for event in unnumbered])
        except Exception:
            log.warning("reading the sequences of %d committed job event(s) failed; subscribers replay them from "
                        "the log", len(unnumbered), exc_info=True)
            return
        for event in unnumbered:
            event.snapshot = replace(event.snapshot, sequence=numbers.get(event.row_id))
    snapshots = [event.snapshot for event in events]
    for index, event in enumerate(snapshots):
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT_S):
                await ports.bus.publish(event)
        except Exception:  # the bus is down: the rest would wait on it too; every event is in the log
            log.warning("publishing job events failed from tenant %s sequence %s (%d unpublished); subscribers "
                        "replay them from the log", event.tenant_id, event.sequence, len(events) - index,
                        exc_info=True)
            return


async def since(session, tenant_id: uuid.UUID, after: int, limit: int,
                job_id: uuid.UUID | None = None) -> list[JobSnapshot]:
    """The tenant's retained events after sequence `after`, oldest first, at most `limit` (one job's with `job_id`)."""
    fields = JobSnapshot.__dataclass_fields__
    return [JobSnapshot.from_json({**{k: v for k, v in row.payload.items() if k in fields}, "sequence": row.sequence})
            for row in await repository.after(session, tenant_id, after, limit, job_id)]


async def head(session, tenant_id: uuid.UUID) -> int:
    """The tenant's last committed sequence: a subscription starting now wants what comes after it."""
    return await repository.last(session, tenant_id)


async def oldest(session, tenant_id: uuid.UUID) -> int | None:
    """The oldest sequence the tenant's log still holds (a cursor before it has lost events to retention)."""
    return await repository.first(session, tenant_id)


async def sweep(sessionmaker, *, retention_s: float, batch: int, max_batches: int = 10) -> int:
    """Delete events older than the retention window, `batch` rows a transaction; returns how many went."""
    before, removed = utcnow() - timedelta(seconds=retention_s), 0
    for _ in range(max_batches):
        async with UnitOfWork(sessionmaker) as uow:
            count = await repository.delete_older(uow.session, before, batch)
        removed += count
        if count < batch:
            break
    return removed


async def check_cursor(session, tenant_id: uuid.UUID, after: int) -> None:
    """A replay from `after` is whole, or refused: CURSOR_EXPIRED when an event after it has been swept by retention
    (the client refetches the current state and subscribes without `after`), VALIDATION_FAILED for a cursor past
    the tenant's last event (not one this tenant was ever given)."""
    newest = await head(session, tenant_id)
    if after < 0 or after > newest:
        raise DomainError(f"`after` {after} is not a sequence of this tenant's events (the last is {newest})",
                          field=["after"], code=ErrorCode.VALIDATION_FAILED)
    if after == newest:
        return
    first = await oldest(session, tenant_id)
    if first is None or first > after + 1:
        kept = f"the oldest kept is {first}" if first is not None else "none are kept"
        raise DomainError(f"events after {after} are no longer kept ({kept}): read the current state and "
                          "subscribe without `after`", field=["after"], code=ErrorCode.CURSOR_EXPIRED)

"""The job event log: where a job's change becomes an event (its tenant's next sequence) and how it is published."""
from __future__ import annotations

from domain.db import UnitOfWork
from domain.jobs.snapshot import JobSnapshot
from domain.ports import Ports


def record(uow: UnitOfWork, ports: Ports, snapshot: JobSnapshot) -> None:
    """Publish the job's event once the transaction that changed the job commits."""

    async def _publish() -> None:
        await ports.bus.publish(snapshot)

    uow.after_commit(_publish)

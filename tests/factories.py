"""Factories: jobs written through the domain service but held back from the broker, so they stay queued."""
from __future__ import annotations

import uuid

from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.jobs import service as jobs
from domain.tenancy import service as tenancy


class HeldDispatcher:
    """Says the broker took the message (so the outbox sweeper leaves the job alone) and sends nothing."""

    def dispatch(self, job_id, kind, priority) -> bool:
        return True

    def deliver_webhook(self, delivery_id) -> bool:
        return True


async def queued_jobs(server, key: str, kind: str, count: int = 1, *, label: str | None = None,
                      asset_id: str | None = None, priority: str = "standard") -> list[uuid.UUID]:
    ports = server.runtime.ports
    held = type(ports)(settings=ports.settings, storage=ports.storage, bus=ports.bus, dispatcher=HeldDispatcher(),
                       registry=ports.registry)
    engine = make_engine(server.settings.database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with UnitOfWork(sessionmaker) as uow:
            viewer = await tenancy.authenticate(uow.session, key)
        made = []
        for _ in range(count):
            async with UnitOfWork(sessionmaker) as uow:
                job = await jobs.create(uow, held, viewer, kind=kind, label=label, priority=priority,
                                        asset_id=uuid.UUID(asset_id) if asset_id else None)
                made.append(job.id)
        return made
    finally:
        await engine.dispose()


async def usage_records(server, key: str, rows: list[tuple[str, float, str, "datetime"]]) -> None:
    """Usage records as finished jobs leave them (kind, quantity, unit), dated `created_at`: past months for reports."""
    from domain.usage.models import UsageRecord

    engine = make_engine(server.settings.database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with UnitOfWork(sessionmaker) as uow:
            viewer = await tenancy.authenticate(uow.session, key)
            uow.session.add_all([UsageRecord(tenant_id=viewer.tenant_id, kind=kind, quantity=quantity, unit=unit,
                                             created_at=created_at) for kind, quantity, unit, created_at in rows])
            await uow.commit()
    finally:
        await engine.dispose()

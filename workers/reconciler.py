"""The reconciler: removes tombstoned objects from storage in bounded batches and ends jobs whose object is gone."""
from __future__ import annotations

import logging

from domain.db import UnitOfWork
from domain.ports import Ports
from domain.tombstones import service as tombstones

log = logging.getLogger(__name__)


async def reconcile(sessionmaker, ports: Ports, *, batch: int = 100, now=None) -> tuple[int, int, int]:
    """One sweep: (objects removed, removals that failed and wait for a later sweep, jobs cancelled). Storage is
    called with no transaction open; safe to run in any number of processes (claims are leased)."""
    removed, failed = await tombstones.remove(sessionmaker, ports, limit=batch, now=now)
    async with UnitOfWork(sessionmaker) as uow:
        ended = await tombstones.end_orphaned_jobs(uow, ports, limit=batch)
    if removed or failed or ended:
        log.info("reconciler removed %d object(s), %d failed (retried later), cancelled %d job(s)",
                 removed, failed, ended)
    return removed, failed, ended

"""Fixtures shared by the end-to-end tests of one area or more."""
from __future__ import annotations

import uuid

import pytest

from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.jobs import lifecycle
from domain.jobs.models import Job


@pytest.fixture
async def change_job(server):
    """Changes a job as a worker would (`lifecycle.change`: a version step and its event), on the server's database."""
    engine = make_engine(server.settings.database_url)

    async def change(job_id: uuid.UUID, **values) -> None:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            await lifecycle.change(uow, server.runtime.ports, await uow.session.get(Job, job_id), **values)

    yield change
    await engine.dispose()

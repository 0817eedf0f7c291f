"""Fixtures shared by the worker tests."""
from __future__ import annotations

import pytest

from tests.workers.by_hand import Database


@pytest.fixture
async def db(server):
    """The server's database, read and written by the test directly (rows as the workers left them)."""
    database = Database(server.settings.database_url)
    yield database
    await database.close()

"""Abuse budgets admit requests while their Redis store is down (an outage must not answer 500 everywhere)."""
from __future__ import annotations

from domain.throttle import Throttle
from tests.harness import free_port


async def test_budgets_fail_open_when_redis_is_unreachable():
    throttle = Throttle(f"redis://127.0.0.1:{free_port()}/0", "mgtest-down")  # nothing listens there
    assert await throttle.spend("graphql", "tenant", 1) == 0
    assert await throttle.spend("graphql", "tenant", 1) == 0  # not counted, so never exhausted
    assert await throttle.exhausted("auth", "127.0.0.1", 1) == 0
    assert await throttle.acquire("tenant", "socket-1", 1, 10) is True
    await throttle.renew("tenant", ["socket-1"], 10)
    await throttle.release("tenant", "socket-1")


async def test_memory_budgets_count_and_refuse():
    throttle = Throttle(None, "mgtest-memory")
    assert await throttle.spend("graphql", "tenant", 2) == 0
    assert await throttle.spend("graphql", "tenant", 2) == 0
    assert await throttle.spend("graphql", "tenant", 2) >= 1
    assert await throttle.spend("graphql", "other", 2) == 0

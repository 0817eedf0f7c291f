"""Liveness and readiness: what a load balancer or orchestrator asks. Readiness names each dependency's state only."""
from __future__ import annotations

import asyncio
import logging
import os

import redis.asyncio as aioredis

from domain.db import UnitOfWork
from domain.observability import repository
from domain.ports import Ports
from domain.storage.local import LocalStorage
from domain.storage.s3 import S3Storage

log = logging.getLogger(__name__)


async def _database(sessionmaker) -> None:
    async with UnitOfWork(sessionmaker) as uow:
        await repository.ping(uow.session)


async def _storage(storage) -> None:
    """Local files: the folder is there and writable. S3: the bucket answers a HEAD with these credentials."""
    if isinstance(storage, S3Storage):
        async with storage._client() as s3:
            await s3.head_bucket(Bucket=storage.bucket)
    elif isinstance(storage, LocalStorage):
        root = storage.root
        if not await asyncio.to_thread(lambda: root.is_dir() and os.access(root, os.W_OK)):
            raise OSError("storage folder missing or not writable")


async def _redis(url: str) -> None:
    client = aioredis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        await client.ping()
    finally:
        await client.aclose()


async def ready(sessionmaker, ports: Ports, timeout_s: float = 3.0) -> tuple[bool, dict[str, str]]:
    """Each check runs at once under its own timeout; the answer is "ok" or a short failure word per check, never
    the exception text (it may name hosts or credentials); the details go to the log."""
    checks = {"database": _database(sessionmaker), "storage": _storage(ports.storage)}
    if ports.settings.redis_url:
        checks["redis"] = _redis(ports.settings.redis_url)
    outcomes = await asyncio.gather(*(asyncio.wait_for(check, timeout_s) for check in checks.values()),
                                    return_exceptions=True)
    results = {}
    for name, outcome in zip(checks, outcomes):
        if isinstance(outcome, BaseException):
            log.warning("readiness check %s failed: %s", name, type(outcome).__name__, exc_info=outcome)
            results[name] = "timeout" if isinstance(outcome, asyncio.TimeoutError) else "unavailable"
        else:
            results[name] = "ok"
    return all(value == "ok" for value in results.values()), results

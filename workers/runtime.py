"""A worker process's runtime: one event loop thread, its own DB engine, the shared storage and bus."""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from domain.db import make_engine, make_sessionmaker
from domain.ports import Ports


class WorkerRuntime:
    """Dramatiq runs actors on plain threads; their async work runs here, on one loop per process.

    Written by hand rather than Dramatiq's AsyncIO middleware because that middleware keeps its loop
    in a process-wide global, and the API process (embedded mode) and tests need runtimes of their own.
    """

    def __init__(self, ports: Ports):
        self.ports = ports
        self.settings = ports.settings
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="mediagraph-worker-loop", daemon=True)
        self._thread.start()
        self.engine = None
        self.sessionmaker = None
        self.run(self._open)

    async def _open(self) -> None:
        # asyncpg connections belong to the loop that made them: this engine is this loop's own.
        self.engine = make_engine(self.settings.database_url)
        self.sessionmaker = make_sessionmaker(self.engine)

    def run(self, fn: Callable[..., Awaitable[Any]], *args, timeout: float | None = None) -> Any:
        return asyncio.run_coroutine_threadsafe(fn(*args), self.loop).result(timeout)

    def close(self) -> None:
        async def _close():
            if self.engine is not None:
                await self.engine.dispose()
            # The bus is shared with the process; only this loop's own connection is ours to close.
            close_client = getattr(self.ports.bus, "close_client", None)
            if close_client is not None:
                await close_client()

        try:
            self.run(_close, timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=5)

"""In-process event bus: publishers on any thread or loop, subscribers each on their own loop."""
from __future__ import annotations

import asyncio
import threading
import uuid
from contextlib import asynccontextmanager

from domain.jobs.snapshot import JobSnapshot


class _Subscriber:
    def __init__(self, tenant_id: uuid.UUID | None):
        self.tenant_id = tenant_id
        self.loop = asyncio.get_running_loop()
        # Unbounded on purpose: a slow subscriber must not make publishers drop events.
        self.queue: asyncio.Queue[JobSnapshot] = asyncio.Queue()

    def deliver(self, event: JobSnapshot) -> None:
        if self.tenant_id is None or event.tenant_id == self.tenant_id:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, event)

    async def __aiter__(self):
        while True:
            yield await self.queue.get()


class InMemoryEventBus:
    def __init__(self) -> None:
        self._subscribers: list[_Subscriber] = []
        self._lock = threading.Lock()

    async def publish(self, event: JobSnapshot) -> None:
        self.fan_out(event)

    def fan_out(self, event: JobSnapshot) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber.deliver(event)
            except RuntimeError:  # its loop has closed; it is going away
                pass

    @asynccontextmanager
    async def subscribe(self, tenant_id: uuid.UUID | None):
        subscriber = _Subscriber(tenant_id)
        with self._lock:
            self._subscribers.append(subscriber)
        try:
            yield subscriber
        finally:
            with self._lock:
                self._subscribers.remove(subscriber)

    async def close(self) -> None:
        return None

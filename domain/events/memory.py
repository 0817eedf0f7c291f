"""In-process event bus: publishers on any thread or loop, subscribers each on their own loop."""
from __future__ import annotations

import asyncio
import threading
import uuid
from contextlib import asynccontextmanager

from domain.jobs.snapshot import JobSnapshot


class Resync:
    """Delivered to every subscriber when events may have been lost (the Redis listener reconnected): catch up
    from the event log."""


RESYNC = Resync()


class _Subscriber:
    __slots__ = ("tenant_id", "loop", "queue")

    def __init__(self, tenant_id: uuid.UUID | None):
        self.tenant_id = tenant_id
        self.loop = asyncio.get_running_loop()
        # Unbounded on purpose: a slow subscriber must not make publishers drop events.
        self.queue: asyncio.Queue[JobSnapshot | Resync] = asyncio.Queue()

    def deliver(self, event: JobSnapshot | Resync) -> None:
        if self.tenant_id is None or event is RESYNC or event.tenant_id == self.tenant_id:
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

    def fan_out(self, event: JobSnapshot | Resync) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber.deliver(event)
            except RuntimeError:  # its loop has closed; it is going away
                pass

    def resync(self) -> None:
        self.fan_out(RESYNC)

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

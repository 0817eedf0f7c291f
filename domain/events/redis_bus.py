"""Redis pub/sub event bus: any process publishes; one listener per process fans out to local subscribers."""
from __future__ import annotations

import asyncio
import json
import logging
import uuid
from contextlib import asynccontextmanager

import redis.asyncio as aioredis

from domain.events.memory import InMemoryEventBus
from domain.jobs.snapshot import JobSnapshot

log = logging.getLogger(__name__)


class RedisEventBus:
    def __init__(self, url: str, namespace: str):
        self.url = url
        self.channel = f"{namespace}:job-events"
        self._local = InMemoryEventBus()
        self._clients: dict[int, aioredis.Redis] = {}
        self._listener: asyncio.Task | None = None
        self._ready: asyncio.Event | None = None
        self._listener_loop: asyncio.AbstractEventLoop | None = None

    def _client(self) -> aioredis.Redis:
        # Connections belong to an event loop; the API and the worker runtime each get their own.
        loop = asyncio.get_running_loop()
        client = self._clients.get(id(loop))
        if client is None:
            client = self._clients[id(loop)] = aioredis.from_url(self.url)
        return client

    async def publish(self, event: JobSnapshot) -> None:
        await self._client().publish(self.channel, json.dumps(event.to_json()))

    async def _ensure_listener(self) -> None:
        loop = asyncio.get_running_loop()
        if self._listener is not None and self._listener_loop is loop and not self._listener.done():
            await self._ready.wait()
            return
        self._ready = asyncio.Event()
        self._listener_loop = loop
        self._listener = loop.create_task(self._listen(self._ready))
        await self._ready.wait()

    async def _listen(self, ready: asyncio.Event) -> None:
        connected_before = False
        while True:
            pubsub = aioredis.from_url(self.url).pubsub()
            try:
                await pubsub.subscribe(self.channel)
                # Ready only once Redis confirms, so nothing published after subscribe() returns is missed.
                while True:
                    confirm = await pubsub.get_message(timeout=5)
                    if confirm and confirm.get("type") == "subscribe":
                        break
                ready.set()
                if connected_before:
                    # Whatever was published while we were away is gone from pub/sub: subscribers catch up
                    # from the event log.
                    self._local.resync()
                connected_before = True
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    try:
                        self._local.fan_out(JobSnapshot.from_json(json.loads(message["data"])))
                    except Exception:  # a malformed message must not kill the listener
                        log.exception("dropping malformed job event")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("job event listener lost Redis; reconnecting")
                await asyncio.sleep(0.5)
            finally:
                try:
                    await pubsub.aclose()
                except Exception:
                    pass

    @asynccontextmanager
    async def subscribe(self, tenant_id: uuid.UUID | None):
        await self._ensure_listener()
        async with self._local.subscribe(tenant_id) as stream:
            yield stream

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            try:
                await self._listener
            except BaseException:
                pass
            self._listener = None
        await self.close_client()

    async def close_client(self) -> None:
        """Close the calling loop's publishing connection."""
        client = self._clients.pop(id(asyncio.get_running_loop()), None)
        if client is not None:
            await client.aclose()

"""Grouped fan-out: one execution per (document, variables, tenant) for every subscriber of the group, tenants never
sharing a group's output, nested fields read in a fresh transaction per event (no connection held in between), and
a handed-over subscription ended by the client giving its slot back."""
from __future__ import annotations

import asyncio
import json
import time
import uuid

import websockets

from tests.conftest import new_tenant
from tests.factories import queued_jobs
from tests.harness import gql

WITH_ASSET = """subscription($after: Int) { jobEvents(after: $after) { id progress sequence
  asset { id filename } } }"""
PLAIN = "subscription($after: Int) { jobEvents(after: $after) { id progress sequence } }"
CREATE_ASSET = "mutation($name: String!) { createAsset(input: {filename: $name}) { asset { id } errors { code } } }"


class Socket:
    """One graphql-transport-ws connection carrying several subscriptions; collects `next` payloads per op."""

    def __init__(self, server, key: str):
        self.server, self.key, self.ws = server, key, None
        self.received: dict[str, list[dict]] = {}

    async def __aenter__(self) -> "Socket":
        self.ws = await websockets.connect(self.server.ws_url, subprotocols=["graphql-transport-ws"],
                                           open_timeout=60)
        await self.ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {self.key}"}}))
        assert json.loads(await asyncio.wait_for(self.ws.recv(), 60))["type"] == "connection_ack"
        return self

    async def subscribe(self, query: str, variables: dict) -> str:
        op = uuid.uuid4().hex
        self.received[op] = []
        await self.ws.send(json.dumps({"id": op, "type": "subscribe",
                                       "payload": {"query": query, "variables": variables}}))
        return op

    async def complete(self, op: str) -> None:
        await self.ws.send(json.dumps({"id": op, "type": "complete"}))

    async def until(self, done, timeout: float = 120) -> None:
        """Read frames until `done(self.received)`; errors for any operation fail the test."""
        deadline = time.monotonic() + timeout
        while not done(self.received):
            message = json.loads(await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.monotonic())))
            assert message["type"] in {"next", "complete"} and not message.get("payload", {}).get("errors"), message
            if message["type"] == "next":
                self.received[message["id"]].append(message["payload"]["data"]["jobEvents"])

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()


def _every(job_id: str, progress: int):
    return lambda received: all(any(e["id"] == job_id and e["progress"] == progress for e in events)
                                for events in received.values())


async def _asset_job(client, server, key: str, name: str) -> tuple[str, uuid.UUID]:
    asset = (await gql(client, key, CREATE_ASSET, {"name": name}))["data"]["createAsset"]["asset"]["id"]
    return asset, (await queued_jobs(server, key, "probe", asset_id=asset))[0]


async def test_two_tenants_with_the_same_document_never_share_a_groups_output(server, client, tenant, change_job):
    other = await new_tenant(server)
    mine, theirs = await _asset_job(client, server, tenant.key, "ours.wav"), \
        await _asset_job(client, server, other.key, "theirs.wav")
    async with Socket(server, tenant.key) as a, Socket(server, other.key) as b:
        for socket in (a, b):
            for _ in range(3):  # the same document and variables on both tenants' sockets
                await socket.subscribe(WITH_ASSET, {"after": 0})
        await a.until(_every(str(mine[1]), 0))
        await b.until(_every(str(theirs[1]), 0))
        await change_job(mine[1], status="running")
        await change_job(theirs[1], status="running")
        await change_job(mine[1], progress=50)
        await change_job(theirs[1], progress=70)
        await a.until(_every(str(mine[1]), 50))
        await b.until(_every(str(theirs[1]), 70))
    for socket, (asset, job), name in ((a, mine, "ours.wav"), (b, theirs, "theirs.wav")):
        for events in socket.received.values():
            assert {e["id"] for e in events} == {str(job)}
            assert {(e["asset"]["id"], e["asset"]["filename"]) for e in events} == {(asset, name)}
        streams = list(socket.received.values())
        assert all(events == streams[0] for events in streams)  # one group: the same payloads, in order


async def test_hundreds_of_subscriptions_selecting_the_asset_hold_no_connection_between_events(server, client,
                                                                                              change_job):
    engine = server.runtime.engine
    tenants = [await new_tenant(server) for _ in range(2)]  # 100 each: the default per-account cap
    jobs = [await _asset_job(client, server, t.key, f"{t.name}.wav") for t in tenants]
    sockets = [Socket(server, t.key) for t in tenants for _ in range(10)]
    try:
        for socket in sockets:
            await socket.__aenter__()
            for _ in range(10):  # the default per-connection cap
                await socket.subscribe(WITH_ASSET, {"after": 0})
        for socket, (_, job) in zip(sockets, [j for j in jobs for _ in range(10)]):
            await socket.until(_every(str(job), 0))
        for round_ in (30, 60):
            for _, job in jobs:
                if round_ == 30:
                    await change_job(job, status="running")
                await change_job(job, progress=round_)
            for socket, (asset, job) in zip(sockets, [j for j in jobs for _ in range(10)]):
                await socket.until(_every(str(job), round_))
                assert all(events[-1]["asset"]["id"] == asset for events in socket.received.values())
            # Between events no subscription holds a database connection (the pool is far smaller than 200).
            deadline = time.monotonic() + 60
            while engine.pool.checkedout() and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            assert engine.pool.checkedout() == 0
    finally:
        for socket in sockets:
            if socket.ws is not None:
                await socket.__aexit__()


async def test_a_handed_over_subscription_completed_by_the_client_gives_its_slot_back(server, tenant, change_job):
    [job] = await queued_jobs(server, tenant.key, "probe")
    async with Socket(server, tenant.key) as socket:
        ops = [await socket.subscribe(PLAIN, {"after": 0}) for _ in range(server.settings.subscriptions_per_connection)]
        await socket.until(_every(str(job), 0))
        await socket.complete(ops[0])
        socket.received.pop(ops[0])
        replacement = await socket.subscribe(PLAIN, {"after": 0})  # refused (an error frame) if the slot were kept
        await socket.until(lambda received: received[replacement])
        await change_job(job, status="running")
        await change_job(job, progress=10)
        await socket.until(_every(str(job), 10))
    assert len(socket.received) == server.settings.subscriptions_per_connection

"""A subscriber that stops reading never holds up another one's events: the fan-out writes without waiting, and a
socket that falls more than a bound behind is closed with 1013 (try again later); it resumes with `after`."""
from __future__ import annotations

import asyncio
import json
import socket
import uuid
from urllib.parse import urlparse

import pytest
import websockets

from resolvers.jobs.outbox import OUTBOX_BYTES, SHED_CODE
from tests.factories import queued_jobs

EVENTS = "subscription($after: Int) { jobEvents(after: $after) { id progress sequence resultData } }"
BLOB = 64 * 1024  # bytes of result per event: the stalled socket falls megabytes behind in a few events
ROUNDS = 24


async def _connect(server, key: str, **options):
    ws = await websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"], open_timeout=60,
                                  ping_interval=None, **options)
    await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 60))["type"] == "connection_ack"
    return ws


async def _subscribe(ws, after: int) -> str:
    op = uuid.uuid4().hex
    await ws.send(json.dumps({"id": op, "type": "subscribe", "payload": {"query": EVENTS,
                                                                         "variables": {"after": after}}}))
    return op


async def _next(ws, timeout: float = 120) -> dict:
    message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    assert message["type"] == "next" and not message["payload"].get("errors"), message
    return message["payload"]["data"]["jobEvents"]


async def test_a_stalled_subscriber_does_not_delay_another_and_is_closed_after_the_bound(server, tenant,
                                                                                         change_job):
    [job] = await queued_jobs(server, tenant.key, "probe")
    await change_job(job, status="running")  # held by "a worker" from now on: nothing dispatches it again
    # The stalled client: a small receive buffer and a one-message queue, so the server's side backs up at once.
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    url = urlparse(server.base_url)
    raw.connect((url.hostname, url.port))
    raw.setblocking(False)
    slow = await _connect(server, tenant.key, sock=raw, max_queue=1, compression=None)
    slow_ops = [await _subscribe(slow, 0) for _ in range(server.settings.subscriptions_per_connection)]
    caught_up = [await _next(slow) for _ in range(2 * len(slow_ops))]  # each one's replay (queued, running)
    fast = await _connect(server, tenant.key)
    await _subscribe(fast, 0)  # the same document and variables: the same group as the stalled ones
    assert [(await _next(fast))["id"] for _ in range(2)] == [str(job)] * 2
    try:
        for round_ in range(1, ROUNDS + 1):  # the stalled socket is sent 10 x 64 KiB per event and reads none
            await change_job(job, progress=round_, result={"round": round_, "blob": "x" * BLOB})
            event = await _next(fast)
            assert (event["progress"], event["resultData"]["round"]) == (round_, round_)
        assert len(slow_ops) * ROUNDS * BLOB > 4 * OUTBOX_BYTES

        # The stalled client reads again: what was buffered before the bound, then the close frame with 1013.
        received = list(caught_up)
        with pytest.raises(websockets.ConnectionClosed):
            while True:
                received.append(await _next(slow, timeout=60))
        assert slow.close_code == SHED_CODE
        assert len(received) < len(slow_ops) * (ROUNDS + 2) / 2

        # It resumes from the last sequence it has: the rest arrives from the log, in order, nothing missing.
        last = max(event["sequence"] for event in received)
        again = await _connect(server, tenant.key)
        await _subscribe(again, last)
        resumed = [await _next(again)]
        while resumed[-1]["progress"] < ROUNDS:
            resumed.append(await _next(again))
        assert [e["sequence"] for e in resumed] == list(range(last + 1, last + 1 + len(resumed)))
        await again.close()
    finally:
        await fast.close()
        await slow.close()

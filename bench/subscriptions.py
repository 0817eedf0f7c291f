"""Subscriptions at scale: the API process's memory per idle `jobEvents` subscription, and one job event fanned out
to all of them (each subscriber's delivery time). Clients run in separate processes, so their CPU is not the
server's. `python -m bench subscriptions` (BENCH_SUBSCRIPTIONS, default 1000), or
`python -m bench.subscriptions --subscriptions 10000` for the README's figure."""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx
import websockets

from bench.common import EMBEDDED, percentile, running_server, table

SUBSCRIPTIONS = int(os.environ.get("BENCH_SUBSCRIPTIONS", "10000"))  # the goal is stated at 10,000
CLIENT_PROCESSES = int(os.environ.get("BENCH_CLIENT_PROCESSES", "4"))
EVENTS = "subscription($after: Int) { jobEvents(after: $after) { id status progress sequence createdAt } }"
TRIGGER = 'mutation { transcribe(input: {url: "http://127.0.0.1:9/bench.wav"}) { job { id } errors { code } } }'
GOAL_KIB, GOAL_LAST_S = 40, 1.0


def _cpu_s(pid: int) -> float:
    """A process's user + system CPU seconds so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def _client(ws_url: str, key: str, count: int, after: int, ready, go, results) -> None:
    """`count` connections with one subscription each; ready once every one has replayed the event after
    `after` (so it is caught up and live); then the receive time of each one's next event."""
    sockets = []
    for start in range(0, count, 100):  # connect in batches: a burst of 10,000 handshakes is its own benchmark
        batch = await asyncio.gather(*(websockets.connect(ws_url, subprotocols=["graphql-transport-ws"],
                                                          open_timeout=120, ping_interval=None, max_queue=4)
                                       for _ in range(min(100, count - start))))
        for ws in batch:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}))
        for ws in batch:
            assert json.loads(await asyncio.wait_for(ws.recv(), 120))["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                      "payload": {"query": EVENTS, "variables": {"after": after}}}))
        for ws in batch:
            message = json.loads(await asyncio.wait_for(ws.recv(), 300))
            assert message["type"] == "next" and not message["payload"].get("errors"), message
        sockets += batch
    ready.put(len(sockets))
    await asyncio.get_running_loop().run_in_executor(None, go.wait)

    async def first(ws) -> tuple[float, str]:
        message = await ws.recv()
        return time.time(), message

    def parsed(received: float, message: str) -> tuple[float, float]:
        created = json.loads(message)["payload"]["data"]["jobEvents"]["createdAt"]
        return received, datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp()

    cpu = time.process_time()
    arrivals = await asyncio.gather(*(first(ws) for ws in sockets))
    cpu = time.process_time() - cpu  # this client process's own CPU while receiving
    # Parsed once all have arrived: the client's JSON work does not delay its other sockets' receipts.
    results.put(([parsed(*arrival) for arrival in arrivals], cpu))
    await asyncio.gather(*(ws.close() for ws in sockets))


def _client_process(ws_url, key, count, after, ready, go, results) -> None:
    asyncio.run(_client(ws_url, key, count, after, ready, go, results))


def _trigger(base: str, key: str) -> str:
    answer = httpx.post(base + "/graphql", json={"query": TRIGGER}, headers={"Authorization": f"Bearer {key}"},
                        timeout=60).json()
    return answer["data"]["transcribe"]["job"]["id"]


async def _last_sequence(ws_url: str, key: str, job_id: str) -> int:
    """The sequence of the job's last event (it fails at once: the URL answers nothing)."""
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": EVENTS,
                                                                             "variables": {"after": 0}}}))
        while True:
            event = json.loads(await asyncio.wait_for(ws.recv(), 120))["payload"]["data"]["jobEvents"]
            if event["id"] == job_id and event["status"] in ("FAILED", "COMPLETED"):
                return event["sequence"]


def measure(subscriptions: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server (a child) inherits it
    env = {**EMBEDDED, "SUBSCRIPTIONS_PER_TENANT": "0", "SUBSCRIPTIONS_PER_CONNECTION": "0", "RATE_LIMIT_PER_MINUTE": "0",
           "ALLOW_PRIVATE_URLS": "true"}
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp), env) as (base, pid, key):
        ws_url = base.replace("http://", "ws://") + "/graphql"
        after = asyncio.run(_last_sequence(ws_url, key, _trigger(base, key))) - 1
        time.sleep(2)
        before = _rss_kib(pid)
        context = multiprocessing.get_context("spawn")
        ready, results, go = context.Queue(), context.Queue(), context.Event()
        shares = [subscriptions // CLIENT_PROCESSES + (1 if i < subscriptions % CLIENT_PROCESSES else 0)
                  for i in range(CLIENT_PROCESSES)]
        clients = [context.Process(target=_client_process, args=(ws_url, key, n, after, ready, go, results))
                   for n in shares if n]
        started = time.time()
        for client in clients:
            client.start()
        opened = sum(ready.get(timeout=1800) for _ in clients)
        open_s = time.time() - started
        time.sleep(3)
        rss = _rss_kib(pid)
        go.set()
        time.sleep(1)  # every client is waiting in recv
        cpu_before, sent = _cpu_s(pid), time.time()
        _trigger(base, key)
        answered = time.time() - sent  # the mutation's own answer: its event is published when it commits
        received = [results.get(timeout=600) for _ in clients]
        server_cpu = _cpu_s(pid) - cpu_before
        delivered = sorted(t - sent for times, _ in received for t, _ in times)
        # From the job row's creation (in the mutation's transaction, so a little before its commit) to receipt.
        committed = sorted(t - created for times, _ in received for t, created in times)
        client_cpu = sum(cpu for _, cpu in received)
        for client in clients:
            client.join(timeout=120)
    per_sub = (rss - before) / opened
    table(f"Subscriptions: {opened} idle `jobEvents` subscriptions, one per connection, in one API process "
          f"(clients in {len(clients)} other processes; load average {os.getloadavg()[0]:.1f})",
          [("figure", "value", "goal"),
           ("API RSS before", f"{before / 1024:.0f} MiB", ""),
           ("API RSS with them open", f"{rss / 1024:.0f} MiB", ""),
           ("API RSS growth for them", f"{(rss - before) / 1024:.0f} MiB",
            f"<= {GOAL_KIB * 10000 / 1024:.0f} MiB at 10,000"),
           ("per subscription", f"{per_sub:.1f} KiB", f"<= {GOAL_KIB} KiB"),
           ("opening them all", f"{open_s:.0f} s", ""),
           ("the mutation that makes the event: its answer", f"{answered * 1000:.0f} ms", ""),
           ("one event: p50 delivery (from sending the mutation)", f"{percentile(delivered, 50) * 1000:.0f} ms", ""),
           ("one event: first delivery", f"{delivered[0] * 1000:.0f} ms", ""),
           ("one event: last delivery", f"{delivered[-1] * 1000:.0f} ms", f"<= {GOAL_LAST_S * 1000:.0f} ms"),
           ("one event: p50 / last from the job row's creation (before its commit)",
            f"{percentile(committed, 50) * 1000:.0f} / {committed[-1] * 1000:.0f} ms", f"last <= {GOAL_LAST_S * 1000:.0f} ms"),
           ("CPU from the mutation to the last receipt: API process / client processes", f"{server_cpu:.2f} s / {client_cpu:.2f} s", ""),
           ("delivered", f"{len(delivered)} of {opened}", "all")])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.subscriptions")
    parser.add_argument("--subscriptions", type=int, default=SUBSCRIPTIONS)
    measure(parser.parse_args(sys.argv[1:] if __name__ == "__main__" else []).subscriptions)


if __name__ == "__main__":
    main()

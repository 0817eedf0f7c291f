"""Test harness: a real server (uvicorn in a thread) per backend, tenants, GraphQL and websocket helpers."""
from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvicorn
import websockets

from resolvers.jobs.transport import LeanWebSocketProtocol  # production's websocket protocol (app.py serve)

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThreadedServer:
    """Runs the ASGI app under uvicorn on 127.0.0.1 in a background thread, as production would."""

    def __init__(self, app, port: int):
        self.app = app
        self.port = port
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    ws=LeanWebSocketProtocol, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.time() + 120  # a loaded machine with several xdist workers starting at once
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@dataclass
class Server:
    backend: str
    base_url: str
    app: object
    settings: object
    env: dict = field(default_factory=dict)
    # The thread serving HTTP (its event loop runs every request's statements; embedded workers have their own).
    thread: threading.Thread | None = None
    # The worker process (production backend): tests of graceful shutdown signal it.
    worker: subprocess.Popen | None = None

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/graphql"

    @property
    def runtime(self):
        return self.app.state.runtime


@dataclass
class Tenant:
    name: str
    key: str


def start_worker_process(env: dict) -> subprocess.Popen:
    """The worker's log goes to a file in its data dir: a pipe nobody drains fills up and freezes every thread."""
    log = open(Path(env["DATA_DIR"]) / "worker.log", "ab")
    return subprocess.Popen([sys.executable, "app.py", "worker"], cwd=ROOT, env={**os.environ, **env},
                            stdout=log, stderr=subprocess.STDOUT)


async def gql(client: httpx.AsyncClient, key: str | None, query: str, variables: dict | None = None,
              expect_errors: bool = False) -> dict:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    if not expect_errors:
        assert not body.get("errors"), body
    return body


class Subscription:
    """A graphql-transport-ws client: connection_init with the API key, then one subscribe."""

    def __init__(self, server: Server, key: str | None, query: str, variables: dict | None = None):
        self.server, self.key, self.query, self.variables = server, key, query, variables or {}
        self.ws = None
        self.id = uuid.uuid4().hex

    async def __aenter__(self) -> "Subscription":
        self.ws = await websockets.connect(self.server.ws_url, subprotocols=["graphql-transport-ws"])
        payload = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        await self.ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        await self.ws.send(json.dumps({"id": self.id, "type": "subscribe",
                                       "payload": {"query": self.query, "variables": self.variables}}))
        return self

    async def next(self, timeout: float = 30) -> dict:
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if message["type"] in {"next", "error", "complete"}:
                return message

    async def collect_until(self, done, timeout: float = 60) -> list[dict]:
        """Every `next` payload until `done(payload)` is true or the server completes."""
        items, deadline = [], time.monotonic() + timeout
        while True:
            message = await self.next(max(0.1, deadline - time.monotonic()))
            if message["type"] != "next":
                return items
            items.append(message["payload"])
            if done(message["payload"]):
                return items

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

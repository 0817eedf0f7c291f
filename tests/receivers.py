"""A webhook receiver on 127.0.0.1 for the tests and benches: every POST it gets, in arrival order."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Answers 204, 500 to the first `failures[path]` POSTs of a path, and 302 on /redirect; keeps
    (path, lower-cased headers, body) of each. `url` is its /hook path."""

    def __init__(self):
        self.requests: list[tuple[str, dict, bytes]] = []
        self.failures: dict[str, int] = {"/flaky": 1}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                if self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/hook")
                elif receiver.failures.get(self.path, 0) > 0:
                    receiver.failures[self.path] -= 1
                    self.send_response(500)
                else:
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = f"{self.base}/hook"

    @property
    def headers(self) -> list[dict]:
        return [headers for _, headers, _ in self.requests]

    @property
    def ids(self) -> list[str]:
        """The Standard Webhooks id of each POST."""
        return [headers.get("webhook-id") for _, headers, _ in self.requests]

    @property
    def got(self) -> list[tuple]:
        """(webhook id, event name, job id) of each POST."""
        out = []
        for _, headers, body in self.requests:
            event = json.loads(body or b"{}")
            out.append((headers.get("webhook-id"), event.get("event"), (event.get("data") or {}).get("id")))
        return out

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

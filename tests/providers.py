"""Servers on 127.0.0.1 speaking the real protocols of remote providers: LibreTranslate, chat completions, SMTP.

Their "translation" is deterministic so tests can predict it: each line becomes `(<target>) <line>`,
with `[[n]]` markers kept. Magic words steer failures: PROVIDER-DOWN answers 503, SLOW-PROVIDER never
answers in time; the target `de` drops markers (an engine that mangles them)."""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MARKED = re.compile(r"^(\[\[\d+\]\] )?(.*)$")


def fake_translate(text: str, target: str, keep_markers: bool = True) -> str:
    out = []
    for line in text.split("\n"):
        marker, rest = MARKED.match(line).groups()
        out.append(f"{marker or '' if keep_markers else ''}({target}) {rest}")
    return "\n".join(out)


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _json(self, status: int, body, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server:
    def __init__(self, handler):
        self.requests: list[dict] = []
        self.flaky: dict[str, int] = {}  # ChatCompletions: requests seen per FLAKY-N marker
        handler.owner = self
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def count(self, needle: str) -> int:
        return sum(needle in json.dumps(r) for r in self.requests)

    def stop(self) -> None:
        self.httpd.shutdown()


class LibreTranslate(_Server):
    """`POST /translate` with q, source, target, format, api_key (query or form) -> {"translatedText": ...}.

    `latency_s` and `per_char_s` model a real server's time per request (the benchmark uses them)."""

    def __init__(self, latency_s: float = 0.0, per_char_s: float = 0.0):
        class Handler(_Quiet):
            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                params = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                params.update({k: v[0] for k, v in parse_qs(body).items()})
                if self.headers.get("content-type", "").startswith("application/json") and body:
                    params.update(json.loads(body))
                self.owner.requests.append(params)
                if urlsplit(self.path).path != "/translate":
                    return self._json(404, {"error": "not found"})
                if not params.get("api_key"):
                    return self._json(403, {"error": "Invalid API key"})
                q, target = params.get("q", ""), params.get("target", "")
                if "PROVIDER-DOWN" in q:
                    return self._json(503, {"error": "Slow down"})
                if "SLOW-PROVIDER" in q:
                    time.sleep(8)
                if latency_s or per_char_s:
                    time.sleep(latency_s + per_char_s * len(q))
                self._json(200, {"translatedText": fake_translate(q, target, keep_markers=target != "de")})

        super().__init__(Handler)


class ChatCompletions(_Server):
    """`POST /v1/chat/completions` (OpenAI's protocol). Translations answer the JSON array it was given, each
    item through fake_translate; summaries and paraphrases answer a labelled echo of the user text."""

    def __init__(self):
        class Handler(_Quiet):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
                self.owner.requests.append(body)
                if urlsplit(self.path).path != "/v1/chat/completions":
                    return self._json(404, {"error": {"message": "not found"}})
                system = next((m["content"] for m in body["messages"] if m["role"] == "system"), "")
                user = next((m["content"] for m in body["messages"] if m["role"] == "user"), "")
                if isinstance(user, list):  # a vision request: text plus data-URL images
                    images = [p for p in user if p.get("type") == "image_url"
                              and p["image_url"]["url"].startswith("data:image/jpeg;base64,")]
                    if "rate an edited video frame" in system:  # the editor's variant scoring (2 images)
                        answer = json.dumps({"overall_rating": "good", "details": f"compared {len(images)} frames",
                                             "fidelity_to_prompt": "high", "visual_quality": "good"})
                    elif "brand logos" in system:
                        answer = json.dumps([{"name": "Mediagraph", "confidence": 0.8}] if images else [])
                    elif "objects, scenes and actions" in system:
                        answer = json.dumps([{"name": "person", "confidence": 0.9}, {"name": "blur", "confidence": 0.1}])
                    else:
                        answer = f"VISION ({len(images)} images): {system[:60]}"
                    return self._json(200, {"id": "chatcmpl-test", "object": "chat.completion", "created": 0,
                                            "model": body.get("model"), "choices": [{"index": 0, "finish_reason": "stop",
                                            "message": {"role": "assistant", "content": answer}}]})
                if "PROVIDER-DOWN" in user:
                    return self._json(503, {"error": {"message": "overloaded"}})
                if "BAD-REQUEST" in user:  # a permanent refusal: asking again cannot help
                    return self._json(400, {"error": {"message": "invalid request", "type": "invalid_request_error"}})
                flaky = re.search(r"FLAKY-(\d+)-\w+", user)  # the first N requests with this marker are turned away
                if flaky:
                    seen = self.owner.flaky[flaky.group(0)] = self.owner.flaky.get(flaky.group(0), 0) + 1
                    if seen <= int(flaky.group(1)):
                        return self._json(503, {"error": {"message": "overloaded"}}, {"Retry-After": "0"})
                target = re.search(r" to ([A-Za-z-]+)\.", system)
                if system.startswith("Translate") and target:
                    tone = "formal " if "formal register" in system else ""
                    answer = json.dumps([tone + fake_translate(t, target.group(1)) for t in json.loads(user)])
                elif system.startswith("Summarize"):
                    answer = "SUMMARY: " + user[:80]
                else:
                    answer = "PARAPHRASE: " + user[:80]
                self._json(200, {"id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
                                 "model": body.get("model"), "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": answer}}],
                                 "usage": {"prompt_tokens": len(user) // 4, "completion_tokens": len(answer) // 4,
                                           "total_tokens": (len(user) + len(answer)) // 4}})

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return super().url + "v1"


class Mailbox:
    """An SMTP server (aiosmtpd) keeping every message it receives."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.messages: list[dict] = []
        owner = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                owner.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                       "data": envelope.content.decode(errors="replace")})
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        self.controller.start()
        self.url = f"smtp://127.0.0.1:{port}"

    def stop(self) -> None:
        self.controller.stop()


class GenerationProvider(_Server):
    """The editor's remote generation protocol (README "AI generation"): `POST /v1/edits` fetches `media_url` and
    makes its variants with ffmpeg (0: colours negated, 1: mirrored); `GET /v1/edits/{id}` answers the status and
    the variants' URLs, served from `/files/`. A prompt with PROVIDER-FAILS ends `failed`. Needs the bearer key."""

    KEY = "gen-test-key"

    def __init__(self):
        import subprocess
        import tempfile
        import urllib.request
        from pathlib import Path

        folder = Path(tempfile.mkdtemp(prefix="fake-generation-"))
        edits: dict[str, dict] = {}

        def work(edit_id: str, body: dict) -> None:
            try:
                source = folder / f"{edit_id}-source.mp4"
                with urllib.request.urlopen(body["media_url"], timeout=30) as answer:
                    source.write_bytes(answer.read())
                if "PROVIDER-FAILS" in body["prompt"]:
                    raise RuntimeError("the model refused the prompt")
                for n, vf in enumerate(["negate", "hflip"][: int(body.get("variants") or 2)]):
                    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(source), "-vf", vf, "-c:v", "libx264",
                                    "-preset", "veryfast", "-an", str(folder / f"{edit_id}-{n}.mp4")], check=True)
                    edits[edit_id]["variants"].append({"url": f"{self.url}files/{edit_id}-{n}.mp4"})
                edits[edit_id]["status"] = "completed"
            except Exception as exc:
                edits[edit_id].update(status="failed", error=str(exc))

        class Handler(_Quiet):
            def _authorised(self) -> bool:
                if self.headers.get("authorization") != f"Bearer {GenerationProvider.KEY}":
                    self._json(401, {"error": "bad key"})
                    return False
                return True

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
                self.owner.requests.append(body)
                if urlsplit(self.path).path != "/v1/edits":
                    return self._json(404, {"error": "not found"})
                if not self._authorised():
                    return
                edit_id = f"edit-{len(edits) + 1}"
                edits[edit_id] = {"status": "running", "error": None, "variants": []}
                threading.Thread(target=work, args=(edit_id, body), daemon=True).start()
                self._json(202, {"id": edit_id})

            def do_GET(self):
                path = urlsplit(self.path).path
                if path.startswith("/files/"):
                    data = (folder / path.rsplit("/", 1)[1]).read_bytes()
                    self.send_response(200)
                    self.send_header("content-type", "video/mp4")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if not self._authorised():
                    return
                if path == "/v1/health":
                    return self._json(200, {"ok": True})
                edit = edits.get(path.rsplit("/", 1)[1])
                self._json(200, edit) if edit else self._json(404, {"error": "no such edit"})

        super().__init__(Handler)

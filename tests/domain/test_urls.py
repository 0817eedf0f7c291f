"""The URL guard: http(s) only, no credentials, no private, loopback, link-local or unspecified targets (IPv6 forms
embedding an IPv4 address included), and connections made to the address it vetted."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from domain import urls
from domain.errors import ValidationFailed
from workers import webhooks
from workers.engines import download


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/a.mp4", "http://localhost:8080/a.mp4", "http://10.1.2.3/a", "http://192.168.0.9/a",
    "http://172.16.5.5/a", "http://169.254.169.254/latest/meta-data", "http://[::1]/a", "http://0.0.0.0/a",
    "http://[::ffff:127.0.0.1]/a", "http://100.64.0.1/a",
])
async def test_private_and_local_targets_are_refused(url):
    with pytest.raises(ValidationFailed) as refused:
        await urls.check(url, allow_private=False, field=["input", "url"])
    assert refused.value.field == ["input", "url"]


@pytest.mark.parametrize("url", ["ftp://example.com/a", "file:///etc/passwd", "http:///a", "https://u:p@example.com/a",
                                 "gopher://x", "not a url"])
async def test_other_schemes_and_credentials_are_refused(url):
    with pytest.raises(ValidationFailed):
        await urls.check(url, allow_private=True, field=["url"])


async def test_public_addresses_and_the_private_switch():
    await urls.check("http://93.184.216.34/a.mp4", allow_private=False, field=["url"])
    await urls.check("http://127.0.0.1:9/a.mp4", allow_private=True, field=["url"])
    assert urls.is_public("8.8.8.8") and not urls.is_public("::1") and not urls.is_public("224.0.0.1")


@pytest.mark.parametrize("address", [
    "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe",  # NAT64 of 127.0.0.1, 10.0.0.1, 169.254.169.254
    "64:ff9b:1::808:808",  # NAT64 local use: refused whatever it embeds
    "2002:7f00:1::1", "2002:c0a8:1::", "2002:a9fe:a9fe::",  # 6to4 of loopback, 192.168.0.1, the metadata address
    "::7f00:1", "::a00:1", "::808:808",  # IPv4-compatible (deprecated): refused whatever it embeds
    "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::7f00:1",  # Teredo
    "::ffff:0:7f00:1",  # IPv4-translated
    "fec0::1", "fc00::1", "fd12:3456::1", "fe80::1", "ff0e::1", "::", "::1",
])
async def test_ipv6_forms_of_private_addresses_are_refused(address):
    assert not urls.is_public(address)
    with pytest.raises(ValidationFailed):
        await urls.check(f"http://[{address}]/a.mp4", allow_private=False, field=["url"])


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8", "2606:4700::1111"])
def test_ipv6_forms_of_public_addresses_pass(address):
    assert urls.is_public(address)


class Answers:
    """A DNS answering from a script, one answer per lookup (the last one repeats), recording every lookup."""

    def __init__(self, *answers: list[str]):
        self.answers, self.lookups = list(answers), []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        return self.answers[min(len(self.lookups), len(self.answers)) - 1]


class Recorder:
    """An HTTP server on one loopback address that records each request's Host header."""

    def __init__(self, address: str, port: int = 0):
        hosts = self.hosts = []

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                hosts.append(self.headers["Host"])
                if self.command == "POST":
                    self.rfile.read(int(self.headers.get("content-length") or 0))
                self.send_response(200)
                self.send_header("content-length", "5")
                self.end_headers()
                self.wfile.write(b"media")

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((address, port), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def vetted_and_rebound():
    """Two servers on one port: 127.0.0.1 (the address first answered) and 127.0.0.2 (what a rebinding DNS answers
    next). Private addresses are allowed here only so that a local server can show where a connection went."""
    first = Recorder("127.0.0.1")
    second = Recorder("127.0.0.2", first.port)
    yield first, second
    first.stop()
    second.stop()


async def test_the_download_connects_to_the_address_it_vetted(vetted_and_rebound, tmp_path):
    first, second = vetted_and_rebound
    dns = Answers(["127.0.0.1"], ["127.0.0.2"])
    size = await download.fetch(f"http://media.rebind.test:{first.port}/a.mp4", tmp_path / "a.mp4", max_bytes=100,
                                allow_private=True, resolver=dns)
    assert size == 5 and (tmp_path / "a.mp4").read_bytes() == b"media"
    assert dns.lookups == ["media.rebind.test"]  # one lookup: nothing left to rebind
    assert first.hosts == [f"media.rebind.test:{first.port}"] and second.hosts == []  # Host still names the host


async def test_the_webhook_connects_to_the_address_it_vetted(vetted_and_rebound):
    first, second = vetted_and_rebound
    dns = Answers(["127.0.0.1"], ["127.0.0.2"])
    status = await webhooks.post(f"http://hooks.rebind.test:{first.port}/hook", "{}", {}, True, resolver=dns)
    assert status == 200 and dns.lookups == ["hooks.rebind.test"]
    assert first.hosts == [f"hooks.rebind.test:{first.port}"] and second.hosts == []


@pytest.mark.parametrize("answer", [["10.0.0.7"], ["93.184.216.34", "127.0.0.1"], ["64:ff9b::7f00:1"]])
async def test_a_name_answering_any_private_address_is_refused_before_connecting(vetted_and_rebound, tmp_path, answer):
    first, _ = vetted_and_rebound
    dns = Answers(answer)
    with pytest.raises(ValidationFailed):
        await download.fetch(f"http://media.rebind.test:{first.port}/a.mp4", tmp_path / "a.mp4", max_bytes=100,
                             allow_private=False, resolver=dns)
    with pytest.raises(ValidationFailed):
        await webhooks.post(f"http://hooks.rebind.test:{first.port}/hook", "{}", {}, False, resolver=dns)
    assert dns.lookups == ["media.rebind.test", "hooks.rebind.test"] and first.hosts == []

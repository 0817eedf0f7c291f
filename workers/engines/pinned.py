"""Connections to vetted addresses only: the URL guard resolves a host once and every client here connects to that
answer (TLS SNI, certificate checks and Host still use the name), so a host cannot re-resolve elsewhere (DNS
rebinding) between the check and the connection. One hook per HTTP stack: an httpcore network backend (httpx), an
aiohttp resolver (aiobotocore, azure-storage-blob's aio transport) and a urllib3 connection (requests, google-auth
and google-cloud-storage)."""
from __future__ import annotations

import socket

import aiohttp
import httpcore
import httpx
import requests
from aiohttp.abc import AbstractResolver, ResolveResult
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from domain.urls import Vetted, ascii_host


class Pins:
    """Host -> the addresses its vetting returned. `strict`: a host never vetted is refused (the guarded httpx
    client talks only to vetted URLs); otherwise it resolves as usual (the SDKs also talk to the deployment's own
    endpoints, STS or the GCS API, which no tenant chooses)."""

    def __init__(self, *vetted: Vetted, strict: bool):
        self.strict = strict
        self._table: dict[str, tuple[str, ...]] = {}
        for item in vetted:
            self.add(item)

    def add(self, vetted: Vetted) -> None:
        self._table[vetted.host] = vetted.addresses

    def get(self, host: str) -> tuple[str, ...] | None:
        host = ascii_host(host.strip("[]").rstrip("."))
        found = self._table.get(host)
        if found is None and self.strict:
            raise OSError(f"host {host!r} was not vetted by the URL guard")
        return found


# -- httpx ----------------------------------------------------------------------------------------------------------

class _PinnedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, pins: Pins):
        self._pins = pins
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            addresses = self._pins.get(host) or ()
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        failure: Exception = httpcore.ConnectError(f"no vetted address for {host!r}")
        for address in addresses:  # in the resolver's order, as getaddrinfo's callers do
            try:
                return await self._inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                     socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("unix sockets are never used for outbound requests")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with its httpcore pool built on the pinned backend (httpx takes no backend argument;
    `_pool` is the one attribute its request handling reads). No proxies from the environment: a proxy would
    resolve the name itself."""

    def __init__(self, pins: Pins):
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=False),
                                                  network_backend=_PinnedBackend(pins))


def http_client(pins: Pins, **options) -> httpx.AsyncClient:
    """An httpx client that connects only to pinned addresses and never follows a redirect."""
    return httpx.AsyncClient(transport=_PinnedTransport(pins), follow_redirects=False, trust_env=False, **options)


# -- aiohttp (aiobotocore, Azure) -----------------------------------------------------------------------------------

class PinnedResolver(AbstractResolver):
    """aiohttp asks its resolver for every connection (IP literals excepted): a pinned host gets its vetted
    addresses."""

    def __init__(self, pins: Pins):
        self._pins = pins
        self._system = aiohttp.ThreadedResolver()

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[ResolveResult]:
        addresses = self._pins.get(host)
        if addresses is None:
            return await self._system.resolve(host, port, family)
        return [ResolveResult(hostname=host, host=address, port=port, proto=0, flags=socket.AI_NUMERICHOST,
                              family=socket.AF_INET6 if ":" in address else socket.AF_INET)
                for address in addresses]

    async def close(self) -> None:
        await self._system.close()


def aiohttp_session(pins: Pins) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=PinnedResolver(pins)), trust_env=False)


# -- requests / urllib3 (google-auth, google-cloud-storage) ---------------------------------------------------------

def _pinned_connection(base: type[HTTPConnection], pins: Pins) -> type[HTTPConnection]:
    class Pinned(base):  # type: ignore[misc, valid-type]
        def _new_conn(self):
            addresses = pins.get(self.host)
            if addresses is None:
                return super()._new_conn()
            # urllib3 connects to `_dns_host` and names `host` (SNI, certificate, Host) after the socket exists.
            name, failure = self._dns_host, None
            for address in addresses:
                self._dns_host = address
                try:
                    return super()._new_conn()
                except NewConnectionError as exc:
                    failure = exc
                finally:
                    self._dns_host = name
            raise failure or NewConnectionError(self, f"no vetted address for {name!r}")

    return Pinned


class _PinnedAdapter(HTTPAdapter):
    def __init__(self, pins: Pins):
        self._pins = pins
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        pins = self._pins

        class PinnedHTTPPool(HTTPConnectionPool):
            ConnectionCls = _pinned_connection(HTTPConnection, pins)

        class PinnedHTTPSPool(HTTPSConnectionPool):
            ConnectionCls = _pinned_connection(HTTPSConnection, pins)

        self.poolmanager.pool_classes_by_scheme = {"http": PinnedHTTPPool, "https": PinnedHTTPSPool}


def pin_session(session: requests.Session, pins: Pins) -> requests.Session:
    """Mount the pinned adapter and turn redirects off: requests would follow a 3xx to any host (a token endpoint
    answering 302 to a metadata address), so any redirect is an error (TooManyRedirects) instead."""
    adapter = _PinnedAdapter(pins)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.trust_env = False
    session.max_redirects = 0
    return session

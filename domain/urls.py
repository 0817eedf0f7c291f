"""User-supplied URLs: only http(s), only public addresses unless ALLOW_PRIVATE_URLS is set, resolved exactly once."""
from __future__ import annotations

import asyncio
import re
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.errors import ValidationFailed

# Names of the headers a caller may add to our requests to its URLs (webhooks, MetaVision fetches): RFC 9110 tokens.
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")

# (host, port) -> addresses. The system resolver in production; tests inject their own (DNS is a remote component).
Resolver = Callable[[str, int], Awaitable[list[str]]]

_MAPPED = (ipaddress.ip_network("::ffff:0:0/96"), ipaddress.ip_network("::ffff:0:0:0/96"),  # RFC 4291, RFC 2765
           ipaddress.ip_network("64:ff9b::/96"))  # NAT64 well-known prefix, RFC 6052: the last 32 bits are IPv4
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")  # RFC 3056: bits 16..48 are IPv4
# Refused whatever they embed: IPv4-compatible (deprecated, RFC 4291; also holds :: and ::1), NAT64 local-use
# (RFC 8215: its embedding depends on the operator's prefix length, and it is local by definition) and Teredo
# (RFC 4380: a tunnel whose client address is obfuscated and whose relay is someone else's).
_REFUSED = (ipaddress.ip_network("::/96"), ipaddress.ip_network("64:ff9b:1::/48"), ipaddress.ip_network("2001::/32"))


def parse(url: str, field: list[str]) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise ValidationFailed("not a valid URL", field=field) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed("only http and https URLs with a host are accepted", field=field)
    if parts.username or parts.password:
        raise ValidationFailed("credentials in the URL are not accepted", field=field)
    return parts.scheme, parts.hostname, port


def _public_v4(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not ip.is_multicast


def is_public(address: str) -> bool:
    """Python's `is_global` misses the IPv6 forms that carry an IPv4 address, and site-local: those are judged here."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv4Address):
        return _public_v4(ip)
    if ip.is_multicast or ip.is_site_local or any(ip in net for net in _REFUSED):
        return False
    if any(ip in net for net in _MAPPED):
        return _public_v4(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip in _SIX_TO_FOUR:
        return _public_v4(ip.sixtofour)
    return ip.is_global


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


@dataclass(frozen=True)
class Vetted:
    """A URL's host resolved once and judged: connections go to `addresses`, TLS and Host still name `host`."""
    url: str
    scheme: str
    host: str  # ASCII (IDNA), lower case, IPv6 without brackets: the form HTTP clients connect with
    port: int
    addresses: tuple[str, ...]


def ascii_host(host: str) -> str:
    return host.encode("idna").decode("ascii").lower() if not host.isascii() else host.lower()


async def vet(url: str, *, allow_private: bool, field: list[str], resolver: Resolver | None = None) -> Vetted:
    """Resolve the host once; every address must be public unless `allow_private`. Connect only to the result."""
    scheme, host, port = parse(url, field)
    try:
        host = ascii_host(host)
        addresses = await (resolver or system_resolver)(host, port)
    except (OSError, UnicodeError) as exc:  # socket.gaierror is an OSError
        raise ValidationFailed(f"cannot resolve host {host!r}", field=field) from exc
    if not addresses:
        raise ValidationFailed(f"cannot resolve host {host!r}", field=field)
    if not allow_private and not all(is_public(a) for a in addresses):
        raise ValidationFailed(f"host {host!r} resolves to a private or local address", field=field)
    return Vetted(url, scheme, host, port, tuple(addresses))


async def check(url: str, *, allow_private: bool, field: list[str], resolver: Resolver | None = None) -> None:
    """Refuse a URL whose host resolves to any non-public address (loopback, private, link-local, ...).

    For validating input when it is stored; whatever later connects calls `vet` again and connects to what it
    returned. With `allow_private` nothing is resolved (only the URL's form is checked)."""
    if allow_private:
        parse(url, field)
        return
    await vet(url, allow_private=False, field=field, resolver=resolver)

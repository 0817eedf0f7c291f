"""User-supplied URLs: only http(s), and only public addresses unless ALLOW_PRIVATE_URLS is set."""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from domain.errors import ValidationFailed


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


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check(url: str, *, allow_private: bool, field: list[str]) -> None:
    """Refuse a URL whose host resolves to any non-public address (loopback, private, link-local, ...)."""
    _, host, port = parse(url, field)
    if allow_private:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ValidationFailed(f"cannot resolve host {host!r}", field=field) from exc
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(is_public(a) for a in addresses):
        raise ValidationFailed(f"host {host!r} resolves to a private or local address", field=field)

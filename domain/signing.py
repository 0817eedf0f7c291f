"""HMAC-signed, expiring URLs for the local storage adapter (constant-time verified)."""
from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode


def signature(secret: str, *parts: str) -> str:
    message = "\n".join(parts).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _signed_extra(extra: dict | None) -> list[str]:
    # One URL-encoded part: a value holding "\n" or "&" cannot pass for another parameter.
    encoded = urlencode(sorted((k, v) for k, v in (extra or {}).items() if v is not None))
    return [encoded] if encoded else []


def signed_query(secret: str, method: str, path: str, expires_s: int, extra: dict | None = None) -> str:
    exp = str(int(time.time()) + int(expires_s))
    params = {k: v for k, v in (extra or {}).items() if v is not None}
    params.update(exp=exp, sig=signature(secret, method, path, exp, *_signed_extra(extra)))
    return urlencode(params)


def verify(secret: str, method: str, path: str, exp: str | None, sig: str | None, extra: dict | None = None) -> bool:
    if not exp or not sig or not (exp.isascii() and exp.isdigit()) or int(exp) < time.time():
        return False
    expected = signature(secret, method, path, exp, *_signed_extra(extra))
    return hmac.compare_digest(expected, sig)

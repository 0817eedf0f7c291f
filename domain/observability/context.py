"""The request id of the work in hand: taken from a sane `X-Request-Id` or made, bound for logs, stored on jobs."""
from __future__ import annotations

import re
import uuid

import structlog

HEADER = "x-request-id"
# Whatever a proxy or client sends is echoed and logged: only short plain tokens are taken, never free text.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def accept(incoming: str | None) -> str:
    """The caller's id when it is a short plain token, else a new one."""
    if incoming and _SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def current() -> str | None:
    """The request id bound in this context (a request's task, or a worker running that request's job)."""
    return structlog.contextvars.get_contextvars().get("request_id")

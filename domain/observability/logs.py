"""JSON logs: structlog renders every record (ours and the libraries'), with the bound request and job ids, and
drops secrets before anything is written."""
from __future__ import annotations

import logging
import os
import re
import sys

import structlog

# Keys whose values are credentials wherever they appear in an event (headers, settings, arguments).
_SECRET_KEY = re.compile(r"authorization|api[-_]?key|secret|password|passwd|token|cookie|credential|signature|"
                         r"^sig$|webhook[-_]?headers", re.I)
# Secrets that may sit inside a message: URL credentials, bearer tokens, our API keys (mg_...).
_SECRET_TEXT = (
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/@\s:]*:[^/@\s]*@", re.I), r"\1[redacted]@"),
    (re.compile(r"\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+", re.I), r"\1 [redacted]"),
    (re.compile(r"\bmg_[A-Za-z0-9_-]{16,}"), "mg_[redacted]"),
    (re.compile(r"([?&](?:sig|signature|token|key|X-Amz-Signature|X-Amz-Credential)=)[^&\s]+", re.I), r"\1[redacted]"),
)
REDACTED = "[redacted]"


def scrub(text: str) -> str:
    for pattern, replacement in _SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


def redact(_logger, _name, event: dict) -> dict:
    """Secret-named fields are replaced whole; every other string is scrubbed of embedded credentials."""
    for key, value in list(event.items()):
        if key.startswith("_"):
            continue
        if _SECRET_KEY.search(key):
            event[key] = REDACTED
        elif isinstance(value, str):
            event[key] = scrub(value)
    return event


def _process(_logger, _name, event: dict) -> dict:
    event["pid"] = os.getpid()  # workers share a log collector: which process said it
    return event


_SHARED = [
    structlog.contextvars.merge_contextvars,
    _process,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def setup() -> None:
    """structlog loggers hand their events to the standard library's handlers (idempotent; every process calls it)."""
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def formatter() -> structlog.stdlib.ProcessorFormatter:
    """One JSON object a line; library records (uvicorn, dramatiq, sqlalchemy) get the same fields."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, structlog.processors.format_exc_info,
                    redact, structlog.processors.JSONRenderer()],
    )


def configure(level: str = "INFO", stream=None) -> None:
    """The process's root handler writes JSON lines to stderr (or `stream`); calling it again replaces it."""
    setup()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name("mediagraph-json")
    handler.setFormatter(formatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "mediagraph-json" or not h.get_name()]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())


def get(name: str):
    return structlog.stdlib.get_logger(name)


# Configured on import: any module's structlog logger must reach the standard library's handlers, whoever logs first.
setup()

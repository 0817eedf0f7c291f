"""The sentence encoder search needs, as a port: the domain may not load a model library, so the worker package
(imported by every process that serves or runs jobs) installs its ONNX encoder here at import, like a handler."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

import numpy as np

from domain.errors import DomainError, ErrorCode


class Encoder(Protocol):
    model_id: str
    dimensions: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""


_factory: Callable[[], Encoder] | None = None
_instance: Encoder | None = None
_lock = threading.Lock()


def install(factory: Callable[[], Encoder]) -> None:
    """Register how to build the encoder; it is built once, on first use (the model costs ~60 MB and ~0.3 s)."""
    global _factory, _instance
    with _lock:
        _factory, _instance = factory, None


def get() -> Encoder:
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                if _factory is None:
                    raise DomainError("no sentence encoder is installed", code=ErrorCode.NOT_SUPPORTED)
                _instance = _factory()
    return _instance

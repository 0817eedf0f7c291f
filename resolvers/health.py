"""The `health` query: liveness and configuration, open to anyone."""
from __future__ import annotations

from types import SimpleNamespace


def health(info):
    settings = info.context.state.settings
    return SimpleNamespace(status="ok", storage=settings.storage, broker="redis" if settings.redis_url else "embedded")

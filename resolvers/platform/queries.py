"""The `health` query (liveness, open to anyone) and the `me` query."""
from __future__ import annotations

from types import SimpleNamespace


def health(info):
    settings = info.context.state.settings
    return SimpleNamespace(status="ok", storage=settings.storage, broker="redis" if settings.redis_url else "embedded")


def me(info):
    return info.context.require_viewer()

"""The `me` query."""
from __future__ import annotations


def me(info):
    return info.context.require_viewer()

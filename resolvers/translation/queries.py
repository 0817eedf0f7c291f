"""The language catalog queries."""
from __future__ import annotations

from domain.translation import catalog


def languages(info):
    info.context.require_viewer()
    return catalog.all_entries(info.context.ports.registry)


def language(info, language_id):
    info.context.require_viewer()
    return catalog.get(info.context.ports.registry, language_id)

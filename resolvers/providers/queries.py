"""The providers query: what is really installed and configured."""
from __future__ import annotations

from types import SimpleNamespace as View


def providers(info, resource: str | None):
    info.context.require_viewer()
    resource = getattr(resource, "value", resource)
    return [
        View(id=p.id, name=p.name,
             resources=[View(type=r.type, features=r.features, languages=r.languages) for r in p.resources.values()])
        for p in info.context.ports.registry.all(resource)
    ]

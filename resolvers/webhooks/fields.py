"""The webhook field of Job: its URL, header names and deliveries."""
from __future__ import annotations

from types import SimpleNamespace

from strawberry import Info

from domain.webhooks import service


async def webhook(root, info: Info):
    hook = root.webhook or {}
    if not hook.get("url"):
        return None
    deliveries = await info.context.loaders.deliveries.load(root.id)
    # Header values often carry the caller's credentials: only their names are shown back.
    return SimpleNamespace(url=hook["url"], header_names=service.header_names(hook),
                           deliveries=deliveries)

"""Webhook fields on Job and the secret rotation mutation."""
from __future__ import annotations

from types import SimpleNamespace

from strawberry import Info

from domain.webhooks import service
from resolvers.payloads import mutate


async def webhook(root, info: Info):
    hook = root.webhook or {}
    if not hook.get("url"):
        return None
    deliveries = await info.context.loaders.deliveries.load(root.id)
    # Header values often carry the caller's credentials: only their names are shown back.
    return SimpleNamespace(url=hook["url"], header_names=service.header_names(hook),
                           deliveries=deliveries)


async def rotate_secret(info: Info):
    async def work(uow, ports, viewer):
        return {"secret": await service.rotate_secret(uow, ports.settings.secret_key, viewer.tenant_id)}

    return await mutate(info, work)

"""Fields of Job, batched through the request's dataloaders."""
from __future__ import annotations

from strawberry import Info

from dataclasses import dataclass


@dataclass
class JobErrorView:
    code: str
    message: str


async def asset(root, info: Info):
    return await info.context.loaders.asset.load(root.asset_id) if root.asset_id else None


async def parent(root, info: Info):
    return await info.context.loaders.job.load(root.parent_id) if root.parent_id else None


async def children(root, info: Info):
    return await info.context.loaders.children.load(root.id)


def error(root, info: Info):
    return JobErrorView(root.error_code, root.error_message or "") if root.error_code else None

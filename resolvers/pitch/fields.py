"""Fields of Submission: its asset and its task jobs, through the dataloaders."""
from __future__ import annotations

from strawberry import Info


async def submission_asset(root, info: Info):
    return await info.context.loaders.asset.load(root.asset_id) if root.asset_id else None


async def submission_tasks(root, info: Info):
    return [await info.context.loaders.job.load(root.task_id)] if root.task_id else []

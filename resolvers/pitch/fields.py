"""Fields of Submission: its asset and its task jobs (through the dataloaders), and their MediaPitch numbers."""
from __future__ import annotations

from strawberry import Info

from domain.pitch import service
from domain.pitch.models import SUBMISSION, TASK


async def submission_asset(root, info: Info):
    return await info.context.loaders.asset.load(root.asset_id) if root.asset_id else None


async def submission_tasks(root, info: Info):
    return [await info.context.loaders.job.load(root.task_id)] if root.task_id else []


async def submission_number(root, info: Info) -> int | None:
    return (await service.numbers(info.context.uow, SUBMISSION, [root.id])).get(root.id)


async def submission_task_number(root, info: Info) -> int | None:
    if not root.task_id:
        return None
    return (await service.numbers(info.context.uow, TASK, [root.task_id])).get(root.task_id)

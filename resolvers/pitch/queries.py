"""MediaPitch queries: a submission, the caller's account."""
from __future__ import annotations

from domain.pitch import service
from domain.tenancy import service as tenancy


async def submission(info, submission_id):
    ctx = info.context
    return await service.get_submission(ctx.uow, ctx.require_viewer(), submission_id)


async def account(info):
    ctx = info.context
    return await tenancy.account(ctx.uow, ctx.require_viewer())

"""MediaPitch queries: a submission, the caller's numbered tasks, the caller's account."""
from __future__ import annotations

from dataclasses import dataclass

from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.pagination import Page
from domain.pitch import service
from domain.pitch.models import TASK
from domain.tenancy import service as tenancy
from resolvers.payloads import connection


@dataclass
class PitchTaskView:
    number: int
    job: Job

    # The connection's cursor is the job's.
    @property
    def id(self):
        return self.job.id

    @property
    def created_at(self):
        return self.job.created_at


async def submission(info, submission_id):
    ctx = info.context
    return await service.get_submission(ctx.uow, ctx.require_viewer(), submission_id)


async def account(info):
    ctx = info.context
    return await tenancy.account(ctx.uow, ctx.require_viewer())


async def pitch_tasks(info, first, after, statuses, label, offset):
    ctx = info.context
    page = await jobs.list_page(ctx.uow, ctx.require_viewer(), first=first, after=after, kinds=[service.KIND],
                                statuses=[getattr(s, "value", s) for s in statuses or []], label=label, offset=offset)
    numbers = await service.numbers(ctx.uow, TASK, [job.id for job in page.items])
    unnumbered = [job.id for job in page.items if job.id not in numbers]
    if unnumbered:  # tasks written outside the pitch service: numbered on first sight, in a transaction of their own
        uow = ctx.new_uow()
        try:
            numbers |= await service.give_numbers(uow, ctx.require_viewer().tenant_id, TASK, unnumbered)
        finally:
            await uow.close()
    views = [PitchTaskView(numbers[job.id], job) for job in page.items if job.id in numbers]
    return connection(Page(views, page.has_next, page.total))

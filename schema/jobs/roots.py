"""Root fields of jobs: lookups, listing, cancellation, and the job subscriptions."""
from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Annotated

import strawberry

from resolvers.jobs import mutations, queries, subscriptions
from schema.jobs.inputs import CancelJobInput
from schema.jobs.payloads import CancelJobPayload
from schema.jobs.types import Job, JobConnection, JobKind, JobStatus


@strawberry.type
class JobQuery:
    @strawberry.field
    async def job(self, info: strawberry.Info, id: strawberry.ID, kind: JobKind | None = None) -> Job | None:
        return await queries.job(info, id, kind)

    @strawberry.field
    async def jobs(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                   kinds: list[JobKind] | None = None, statuses: list[JobStatus] | None = None,
                   asset_id: strawberry.ID | None = None, label: str | None = None,
                   offset: int = 0) -> JobConnection:
        return await queries.jobs(info, first, after, kinds, statuses, asset_id, label, offset)


@strawberry.type
class JobMutation:
    @strawberry.mutation(description="Cancel a queued job; a running job answers CONFLICT.")
    async def cancel_job(self, info: strawberry.Info, input: CancelJobInput) -> CancelJobPayload:
        return await mutations.cancel_job(info, input.id, input.kind)


AFTER = ("Replay the events after this `sequence` (the last one the client saw), in order, before live ones; "
         "events are kept for EVENT_RETENTION_S: an older cursor is refused with CURSOR_EXPIRED (nothing is "
         "skipped silently), a cursor past the tenant's last event with VALIDATION_FAILED.")


@strawberry.type
class JobSubscription:
    @strawberry.subscription(description="The job now (or its events after `after`), then every transition and "
                                          "progress step until it ends.")
    async def job_updated(self, info: strawberry.Info, id: strawberry.ID,
                          after: Annotated[int | None, strawberry.argument(description=AFTER)] = None,
                          ) -> AsyncGenerator[Job, None]:
        async with aclosing(subscriptions.job_updated(info, id, after)) as events:
            async for event in events:
                yield event

    @strawberry.subscription(description="Events of all jobs of an asset, or of the whole tenant.")
    async def job_events(self, info: strawberry.Info, asset_id: strawberry.ID | None = None,
                         kinds: list[JobKind] | None = None,
                         after: Annotated[int | None, strawberry.argument(description=AFTER)] = None,
                         ) -> AsyncGenerator[Job, None]:
        async with aclosing(subscriptions.job_events(info, asset_id, kinds, after)) as events:
            async for event in events:
                yield event

"""Root fields of MediaPitch: the account, submissions, audio uploads and worker reports."""
from __future__ import annotations

import strawberry

from resolvers.pitch import mutations, queries
from schema.common import Connection
from schema.idempotency import idempotent_mutation
from schema.jobs.types import JobStatus
from schema.pitch.inputs import AccountInput, CreateSubmissionInput, TaskResultInput, UploadAudioInput
from schema.pitch.payloads import AccountPayload, SubmissionPayload, TaskResultPayload, UploadAudioPayload
from schema.pitch.types import Account, PitchTask, Submission


@strawberry.type
class PitchQuery:
    @strawberry.field(description="The caller's account: notification email and credits used.")
    async def account(self, info: strawberry.Info) -> Account:
        return await queries.account(info)

    @strawberry.field
    async def submission(self, info: strawberry.Info, id: strawberry.ID) -> Submission | None:
        return await queries.submission(info, id)

    @strawberry.field(description="The caller's MediaPitch tasks (jobs of kind SUBMISSION) with their numbers, "
                                  "newest first.")
    async def pitch_tasks(self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
                          statuses: list[JobStatus] | None = None, label: str | None = None,
                          offset: int = 0) -> Connection[PitchTask]:
        return await queries.pitch_tasks(info, first, after, statuses, label, offset)


@strawberry.type
class PitchMutation:
    @idempotent_mutation(description="Upload an audio (<= 25 MB; mp3, wav, m4a, aac, flac, ogg, checked by content).")
    async def upload_audio(self, info: strawberry.Info, input: UploadAudioInput) -> UploadAudioPayload:
        return await mutations.upload_audio(info, input)

    @idempotent_mutation(description="Submit an audio for services; one task runs them as child jobs.")
    async def create_submission(self, info: strawberry.Info, input: CreateSubmissionInput) -> SubmissionPayload:
        return await mutations.create_submission(info, input)

    @strawberry.mutation(description="A processing worker reports on a task; completed notifies and bills.")
    async def submit_task_result(self, info: strawberry.Info, input: TaskResultInput) -> TaskResultPayload:
        return await mutations.task_result(info, input)

    @strawberry.mutation(description="Set where completion notices are mailed.")
    async def update_account(self, info: strawberry.Info, input: AccountInput) -> AccountPayload:
        return await mutations.update_account(info, input)

"""Payloads of the MediaPitch mutations."""
from __future__ import annotations

import strawberry

from schema.assets.types import Asset
from schema.common import UserError
from schema.jobs.types import Job
from schema.pitch.types import Account, Submission


@strawberry.type
class UploadAudioPayload:
    asset: Asset | None
    audio_number: int | None = strawberry.field(description="The audio's integer id for MediaPitch clients")
    errors: list[UserError]


@strawberry.type
class TaskResultPayload:
    job: Job | None
    task_number: int | None = strawberry.field(description="The task's integer id for MediaPitch clients")
    errors: list[UserError]


@strawberry.type
class SubmissionPayload:
    submission: Submission | None
    task: Job | None
    errors: list[UserError]


@strawberry.type
class AccountPayload:
    account: Account | None
    errors: list[UserError]

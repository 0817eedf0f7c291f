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

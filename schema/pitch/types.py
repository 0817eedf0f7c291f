"""Submission (an audio and the services asked of it), the inputs of uploads, submissions and worker reports."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from domain.pitch import models
from resolvers import pitch as fields
from schema.assets.types import Asset
from schema.common import JSONScalar, Node, UserError, model_check
from schema.jobs.types import Job


@strawberry.type(description="A MediaPitch submission; its tasks are jobs of kind SUBMISSION with child jobs.")
class Submission(Node):
    is_type_of = model_check(models.Submission)
    audio_name: str
    services: list[str]
    context: str | None
    language: str | None
    target_language: str | None
    created_at: datetime
    asset: Asset | None = strawberry.field(resolver=fields.submission_asset)
    tasks: list[Job] = strawberry.field(resolver=fields.submission_tasks)


@strawberry.input
class UploadAudioInput:
    file: Upload
    name: str | None = None


@strawberry.type
class UploadAudioPayload:
    asset: Asset | None
    errors: list[UserError]


@strawberry.input
class CreateSubmissionInput:
    audio_name: str
    services: list[str] = strawberry.field(description="Translate, Transcribe, Paraphrase, Speaker Diarization, Summarize")
    audio_url: str | None = None
    audio_id: strawberry.ID | None = None
    audio_language: str | None = strawberry.field(default=None, description="A name (English) or BCP 47 code")
    context: str | None = None
    target_language: str | None = strawberry.field(default=None, description="For Translate; default English, "
                                                                             "or Spanish for English audio")


@strawberry.type
class SubmissionPayload:
    submission: Submission | None
    task: Job | None
    errors: list[UserError]


@strawberry.input
class TaskResultInput:
    task_id: strawberry.ID
    status: str = strawberry.field(description="completed, failed, or a progress word (processing, ...)")
    result: JSONScalar | None = None
    result_id: int | None = None
    zip: str | None = None


@strawberry.input
class AccountInput:
    notification_email: str | None = None


@strawberry.type
class Account:
    name: str
    notification_email: str | None
    credits_used: float


@strawberry.type
class AccountPayload:
    account: Account | None
    errors: list[UserError]

"""Submission (an audio and the services asked of it), its numbered task (PitchTask) and the caller's Account."""
from __future__ import annotations

from datetime import datetime

import strawberry

from domain.pitch import models
from resolvers.pitch import fields
from schema.assets.types import Asset
from schema.common import Node, model_check
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
    number: int | None = strawberry.field(resolver=fields.submission_number,
                                          description="The integer id MediaPitch clients use (its `id` stays a UUID)")
    task_number: int | None = strawberry.field(resolver=fields.submission_task_number,
                                               description="Its task's integer id for MediaPitch clients")


@strawberry.type(description="A MediaPitch task: the job that runs a submission, and its integer id.")
class PitchTask:
    number: int
    job: Job


@strawberry.type
class Account:
    name: str
    notification_email: str | None
    credits_used: float

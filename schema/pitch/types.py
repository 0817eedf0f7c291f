"""Submission (an audio and the services asked of it) and the caller's Account."""
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


@strawberry.type
class Account:
    name: str
    notification_email: str | None
    credits_used: float

"""Payloads of job mutations."""
from __future__ import annotations

import strawberry

from schema.common import UserError
from schema.jobs.types import Job, JobKind


@strawberry.input
class CancelJobInput:
    id: strawberry.ID
    kind: JobKind | None = strawberry.field(default=None, description="Only cancel a job of this kind.")


@strawberry.type
class CancelJobPayload:
    job: Job | None
    errors: list[UserError]


@strawberry.type
class JobPayload:
    job: Job | None
    errors: list[UserError]


@strawberry.type
class WebhookSecretPayload:
    secret: str | None = strawberry.field(description="Keep it: it is never shown again.")
    errors: list[UserError]

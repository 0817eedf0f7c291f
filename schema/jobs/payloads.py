"""Payloads of job mutations."""
from __future__ import annotations

import strawberry

from schema.common import UserError
from schema.jobs.types import Job


@strawberry.type
class CancelJobPayload:
    job: Job | None
    errors: list[UserError]


@strawberry.type
class JobPayload:
    job: Job | None
    errors: list[UserError]

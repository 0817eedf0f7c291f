"""Inputs of job mutations."""
from __future__ import annotations

import strawberry

from schema.jobs.types import JobKind


@strawberry.input
class CancelJobInput:
    id: strawberry.ID
    kind: JobKind | None = strawberry.field(default=None, description="Only cancel a job of this kind.")

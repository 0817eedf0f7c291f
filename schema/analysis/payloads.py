"""Payloads of the analysis mutations."""
from __future__ import annotations

import strawberry

from schema.common import UserError


@strawberry.type
class DeleteAnalysisItemPayload:
    deleted_id: strawberry.ID | None
    errors: list[UserError]

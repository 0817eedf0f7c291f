"""JobSnapshot: an immutable picture of a job, the payload of every job event and GraphQL's view."""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime

from domain.webhooks import service as webhooks


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class JobSnapshot:
    id: uuid.UUID
    tenant_id: uuid.UUID
    kind: str
    status: str
    progress: int
    version: int
    created_at: datetime
    priority: str = "standard"
    stage: str | None = None
    asset_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    error_code: str | None = None
    error_message: str | None = None
    provider: str | None = None
    label: str | None = None
    input: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    result: dict | None = None
    webhook: dict | None = None
    client_meta: dict | None = None
    processed_at: datetime | None = None
    completed_at: datetime | None = None
    # The event's place in its tenant's event log (set once the event is written; None on a plain read).
    sequence: int | None = None

    @classmethod
    def of(cls, job, sequence: int | None = None) -> "JobSnapshot":
        values = {name: getattr(job, name) for name in cls.__dataclass_fields__ if name != "sequence"}
        values["sequence"] = sequence
        # Events and subscribers see the webhook's URL and header names; header values (credentials) stay in the row.
        values["webhook"] = webhooks.public(values["webhook"])
        return cls(**values)

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("id", "tenant_id", "asset_id", "parent_id"):
            data[key] = str(data[key]) if data[key] else None
        for key in ("created_at", "processed_at", "completed_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "JobSnapshot":
        data = dict(data)
        for key in ("id", "tenant_id", "asset_id", "parent_id"):
            data[key] = uuid.UUID(data[key]) if data.get(key) else None
        for key in ("created_at", "processed_at", "completed_at"):
            data[key] = _dt(data.get(key))
        return cls(**data)

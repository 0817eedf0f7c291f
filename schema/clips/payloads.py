"""Payloads of the clip, download, export and external-storage mutations."""
from __future__ import annotations

import strawberry

from schema.clips.types import Clip, ExternalStorage, LazyJob
from schema.common import UserError


@strawberry.type
class CreateClipsPayload:
    errors: list[UserError]
    clips: list[Clip] | None
    jobs: list[LazyJob] | None


@strawberry.type
class JobOnlyPayload:
    errors: list[UserError]
    job: LazyJob | None


@strawberry.type
class ExternalStoragePayload:
    errors: list[UserError]

    @strawberry.field
    def external_storage(self) -> ExternalStorage | None:
        return self.item

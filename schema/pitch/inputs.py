"""Inputs of MediaPitch uploads, submissions, worker reports and the account."""
from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from schema.common import JSONScalar


@strawberry.input
class UploadAudioInput:
    file: Upload
    name: str | None = None


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

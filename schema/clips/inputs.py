"""Inputs of the clip, download, export and external-storage mutations."""
from __future__ import annotations

import strawberry

from schema.clips.types import ClipMode, ExportFormat, ExternalStorageType
from schema.common import JSONScalar


@strawberry.input
class ClipInput:
    start_ms: int | None = None
    end_ms: int | None = None
    start_frame: int | None = None
    end_frame: int | None = None
    aspect_ratio_x: int | None = None
    aspect_ratio_y: int | None = None
    autoframing: bool = False
    branding_id: strawberry.ID | None = None
    subtitles_language_id: strawberry.ID | None = None
    with_sound_descriptions: bool = False
    mode: ClipMode = strawberry.field(default=ClipMode.ACCURATE, description="FAST: a keyframe-aligned stream copy, "
                                      "only when nothing else changes.")


@strawberry.input
class CreateClipsInput:
    asset_id: strawberry.ID
    clips: list[ClipInput]


@strawberry.input
class DownloadClipsInput:
    asset_id: strawberry.ID
    clip_ids: list[strawberry.ID]


@strawberry.input(description="Exactly one of videoClipId, transcriptionId (with format) or metadataId.")
class ExportInput:
    asset_id: strawberry.ID
    external_storage_id: strawberry.ID
    video_clip_id: strawberry.ID | None = None
    transcription_id: strawberry.ID | None = None
    format: ExportFormat | None = None
    metadata_id: strawberry.ID | None = None
    wait: bool = strawberry.field(default=False, description="Answer once the export has finished (or failed).")


@strawberry.input
class ExternalStorageInput:
    id: strawberry.ID | None = None
    name: str | None = None
    type: ExternalStorageType | None = None
    destination: JSONScalar | None = None
    export_path: str | None = None
    authentication_data: JSONScalar | None = strawberry.field(default=None,
                                                              description="Write-only; stored encrypted.")

"""Asset, StoredFile, AudioTrack, MediaInfo and their connections."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain.assets import models
from resolvers.assets import fields
from resolvers.transcripts import fields as transcript_fields
from schema.common import Connection, JSONScalar, Node, PageInfo, model_check

if TYPE_CHECKING:
    from schema.jobs.types import JobConnection, JobKind
    from schema.transcripts.types import Speaker, Transcription


@strawberry.enum
class AssetStatus(enum.Enum):
    UPLOADING = "uploading"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


@strawberry.enum
class ProcessingMode(enum.Enum):
    NORMAL = "normal"
    TURBO = "turbo"


@strawberry.enum
class AudioTrackSource(enum.Enum):
    ORIGINAL = "original"
    VOICE_OVER = "voice_over"


@strawberry.type(description="ffprobe summary of the media.")
class MediaInfo:
    container: str | None
    bitrate: int | None
    width: int | None
    height: int | None
    frame_rate: float | None
    video_codec: str | None
    streams: JSONScalar

    @classmethod
    def of(cls, media: dict | None) -> "MediaInfo | None":
        if not media:
            return None
        return cls(container=media.get("container"), bitrate=media.get("bitrate"), width=media.get("width"),
                   height=media.get("height"), frame_rate=media.get("frame_rate"),
                   video_codec=media.get("video_codec"), streams=media.get("streams") or [])


@strawberry.type
class StoredFile(Node):
    is_type_of = model_check(models.StoredFile)
    role: str
    content_type: str
    size: int
    filename: str | None
    url: str = strawberry.field(resolver=fields.file_url, description="Signed, expiring download URL.")


@strawberry.type
class AudioTrack(Node):
    is_type_of = model_check(models.AudioTrack)
    index: int
    codec: str | None
    language: str | None
    channels: int | None
    sample_rate: int | None
    duration_ms: int | None
    source: AudioTrackSource
    file: StoredFile | None = strawberry.field(resolver=fields.track_file)


@strawberry.type
class Asset(Node):
    is_type_of = model_check(models.Asset)
    filename: str
    external_id: str | None
    status: AssetStatus
    mode: ProcessingMode
    duration_ms: int | None
    created_at: datetime
    original: StoredFile | None = strawberry.field(resolver=fields.original)
    thumbnail: StoredFile | None = strawberry.field(resolver=fields.thumbnail)
    waveform: StoredFile | None = strawberry.field(resolver=fields.waveform)
    audio_tracks: list[AudioTrack] = strawberry.field(resolver=fields.audio_tracks)

    @strawberry.field
    def language_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.language_id)) if self.language_id else None

    @strawberry.field
    def collection_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.collection_id)) if self.collection_id else None

    @strawberry.field
    def template_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.template_id)) if self.template_id else None

    @strawberry.field
    async def transcriptions(
        self, info: strawberry.Info, language: str | None = None,
    ) -> list[Annotated["Transcription", strawberry.lazy("schema.transcripts.types")]]:
        return await transcript_fields.transcriptions(self, info, language)

    @strawberry.field
    async def speakers(self, info: strawberry.Info) -> list[Annotated["Speaker", strawberry.lazy("schema.transcripts.types")]]:
        return await transcript_fields.speakers(self, info)

    @strawberry.field(description="Clips cut from this asset, newest first.")
    async def clips(self, info: strawberry.Info, first: int | None = 16, after: str | None = None
                    ) -> Connection[Annotated["Clip", strawberry.lazy("schema.clips.types")]]:
        from resolvers.clips import fields as clips

        return await clips.clips_of_asset(self, info, first, after)

    @strawberry.field(description="The asset pipeline's analysis (after the transcript), typed.")
    async def analysis(self, info: strawberry.Info) -> Annotated["AssetAnalysis", strawberry.lazy("schema.analysis.types")] | None:
        from resolvers.analysis import fields as analysis

        return await analysis.asset_analysis(self, info)

    @strawberry.field
    def media(self) -> MediaInfo | None:
        return MediaInfo.of(self.media)

    @strawberry.field
    async def jobs(
        self, info: strawberry.Info, first: int | None = 20, after: str | None = None,
        kinds: list[Annotated["JobKind", strawberry.lazy("schema.jobs.types")]] | None = None,
    ) -> Annotated["JobConnection", strawberry.lazy("schema.jobs.types")]:
        return await fields.jobs(self, info, first, after, [getattr(k, "value", k) for k in kinds or []])


@strawberry.type
class AssetEdge:
    cursor: str
    node: Asset


@strawberry.type
class AssetConnection:
    edges: list[AssetEdge]
    page_info: PageInfo
    total_count: int

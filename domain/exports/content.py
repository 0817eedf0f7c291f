"""What an export job writes: a rendered clip's file, subtitles rendered in the asked format, or a metadata document."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from domain.analysis import repository as analysis_repo
from domain.assets import repository as assets_repo
from domain.clips import repository as clips_repo
from domain.db import UnitOfWork
from domain.errors import DomainError, ErrorCode, NotFound
from domain.exports import paths
from domain.exports import repository
from domain.exports.models import ExternalStorage
from domain.transcripts import repository as transcripts_repo
from domain.transcripts import subtitles

CONTENT_TYPES = {"vtt": "text/vtt; charset=utf-8", "srt": "application/x-subrip; charset=utf-8",
                 "stl": "application/octet-stream", "json": "application/json"}


@dataclass
class Export:
    storage: ExternalStorage
    key: str
    content_type: str
    data: bytes | None = None  # small documents, rendered now
    file_key: str | None = None  # a stored file (a clip), streamed from storage
    values: dict = field(default_factory=dict)


async def prepare(uow: UnitOfWork, tenant_id: uuid.UUID, target: dict) -> Export:
    session = uow.session
    storage = await repository.get(session, tenant_id, uuid.UUID(target["storage_id"]))
    if storage is None:
        raise NotFound("external storage", target["storage_id"], field=["input", "externalStorageId"])
    asset = await assets_repo.get(session, tenant_id, uuid.UUID(target["asset_id"]))
    if asset is None:
        raise NotFound("asset", target["asset_id"])
    values = {"asset_id": str(asset.id), "asset_external_id": asset.external_id}
    what = target["what"]
    if what == "clip":
        clip = await clips_repo.get(session, tenant_id, uuid.UUID(target["clip_id"]))
        if clip is None or not clip.file_key:
            raise DomainError("the video clip is gone or not rendered", code=ErrorCode.RESULT_NOT_READY)
        values["video_clip_id"] = str(clip.id)
        key = paths.render(storage.export_path, f"{clip.id}.mp4", clip=True, **values)
        return Export(storage, key, "video/mp4", file_key=clip.file_key, values=values)
    if what == "subtitles":
        transcription = await transcripts_repo.get(session, tenant_id, uuid.UUID(target["transcription_id"]))
        if transcription is None:
            raise NotFound("transcription", target["transcription_id"])
        segments = await transcripts_repo.segments_by_transcription_ids(session, tenant_id, [transcription.id])
        speakers = {s.id: s for s in await transcripts_repo.speakers_by_asset_ids(session, tenant_id, [asset.id])}
        fmt = target["format"]
        rendered = subtitles.render(transcription, segments, speakers, fmt, title=asset.filename[:32])
        values |= {"transcription_id": str(transcription.id), "format": fmt, "language": transcription.language}
        key = paths.render(storage.export_path, f"{transcription.id}.{transcription.language}.{fmt}", **values)
        data = rendered if isinstance(rendered, bytes) else rendered.encode()
        return Export(storage, key, CONTENT_TYPES[fmt], data=data, values=values)
    item = await analysis_repo.get(session, tenant_id, asset.id, uuid.UUID(target["metadata_id"]), "metadata")
    if item is None:
        raise NotFound("metadata", target["metadata_id"])
    values["metadata_id"] = str(item.id)
    key = paths.render(storage.export_path, f"metadata-{item.id}.json", **values)
    document = {"id": str(item.id), "asset_id": str(asset.id), "start_ms": item.start_ms, "end_ms": item.end_ms,
                **(item.data or {})}
    return Export(storage, key, "application/json", data=json.dumps(document, ensure_ascii=False, indent=2).encode(),
                  values=values)

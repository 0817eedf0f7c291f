"""Fields of Job, batched through the request's dataloaders."""
from __future__ import annotations

import uuid

from strawberry import Info

from domain import languages
from domain.errors import DomainError
from domain.transcripts import service as transcripts

from dataclasses import dataclass


@dataclass
class JobErrorView:
    code: str
    message: str


async def asset(root, info: Info):
    return await info.context.loaders.asset.load(root.asset_id) if root.asset_id else None


async def parent(root, info: Info):
    return await info.context.loaders.job.load(root.parent_id) if root.parent_id else None


async def children(root, info: Info):
    return await info.context.loaders.children.load(root.id)


async def transcription(root, info: Info):
    """The transcript a completed transcription job wrote (tenant-scoped like every read)."""
    ident = (root.result or {}).get("transcription_id") if root.kind == "transcription" else None
    if not ident:
        return None
    try:
        return await transcripts.get(info.context.uow, info.context.require_viewer(), ident)
    except DomainError:
        return None


def error(root, info: Info):
    return JobErrorView(root.error_code, root.error_message or "") if root.error_code else None


async def translations(root, info: Info):
    """Transcripts a translation, retranslation or voice-over job wrote (those still present)."""
    result = root.result or {}
    items = result.get("transcriptions") or []
    found = []
    for item in items:
        ident = item.get("id") or item.get("transcription_id")
        try:
            found.append(await transcripts.get(info.context.uow, info.context.require_viewer(), ident))
        except DomainError:
            continue
    return found


async def dubbed_tracks(root, info: Info):
    wanted = {t["id"] for t in (root.result or {}).get("audio_tracks") or []}
    tracks = await info.context.loaders.tracks_by_asset.load(root.asset_id) if root.asset_id else []
    return [t for t in tracks if str(t.id) in wanted]


async def dubbed_video(root, info: Info):
    return await stored_file(root, info, (root.result or {}).get("video_file_id"))


async def stored_file(root, info: Info, ident: str | None):
    return await info.context.loaders.file.load(uuid.UUID(ident)) if ident else None


def language_ids(root) -> list[str]:
    """Catalog ids of the languages a job's input names by code (codes outside the catalog are left out)."""
    codes = (root.input or {}).get("languages") or []
    return [str(found.id) for found in map(languages.by_code, codes) if found]


async def result_document(root, info: Info):
    from resolvers.analysis.queries import result_document as document  # one source of the Result documents
    return await document(info, root.id) if root.status == "completed" else None

"""Recording a probe's outcome on an asset: summary, audio tracks, derived files, status."""
from __future__ import annotations

import uuid

from domain.assets import repository
from domain.assets.media import MediaSummary
from domain.assets.models import FAILED, READY, Asset, AudioTrack, StoredFile
from domain.db import UnitOfWork
from domain.storage import serving


async def record_success(uow: UnitOfWork, asset: Asset, summary: MediaSummary, derived: dict[str, dict]) -> None:
    """`derived` maps a role (thumbnail, waveform, track:N) to {key, content_type, size, filename}.

    Everything lands in one transaction, so a reader sees the asset before or after, never between.
    """
    session = uow.session
    asset.duration_ms, asset.media = summary.duration_ms, summary.media
    await repository.delete_files_by_role(session, asset.id, ["thumbnail", "waveform", "audio_track"])
    files = {}
    for role, info in derived.items():
        stored = StoredFile(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id,
                            role="audio_track" if role.startswith("track:") else role, **info)
        repository.add(session, stored)
        files[role] = stored.id
    asset.thumbnail_file_id, asset.waveform_file_id = files.get("thumbnail"), files.get("waveform")
    original = await original_file(uow, asset)
    if original is not None:  # its type is what the probe found in it, never what its name claims
        original.content_type = serving.probed_type(asset.media)
    await repository.replace_tracks(session, asset, [
        AudioTrack(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id, source="original",
                   file_id=files.get(f"track:{track['index']}"), **track)
        for track in summary.audio_tracks
    ])
    asset.status = READY
    await session.flush()


async def record_failure(uow: UnitOfWork, asset: Asset) -> None:
    asset.status = FAILED
    await uow.session.flush()


async def original_file(uow: UnitOfWork, asset: Asset) -> StoredFile | None:
    if asset.original_file_id is None:
        return None
    files = await repository.files_by_ids(uow.session, asset.tenant_id, [asset.original_file_id])
    return files[0] if files else None


async def record_original(uow: UnitOfWork, asset: Asset, key: str, size: int) -> StoredFile:
    """A file the server fetched itself becomes the asset's original, as an upload would."""
    stored = StoredFile(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id, role="original", key=key,
                        content_type="application/octet-stream", size=size, filename=asset.filename)
    repository.add(uow.session, stored)
    asset.original_file_id = stored.id
    await uow.session.flush()
    return stored

"""Recording a probe's outcome on an asset: summary, audio tracks, derived files, status."""
from __future__ import annotations

import uuid

from domain.assets import repository
from domain.assets.media import MediaSummary
from domain.assets.models import FAILED, READY, Asset, AudioTrack, StoredFile
from domain.db import UnitOfWork


async def record_success(uow: UnitOfWork, asset: Asset, summary: MediaSummary, derived: dict[str, dict]) -> None:
    """`derived` maps a role (thumbnail, waveform) to {key, content_type, size}; all land in one transaction."""
    session = uow.session
    asset.duration_ms, asset.media = summary.duration_ms, summary.media
    await repository.replace_tracks(session, asset, [
        AudioTrack(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id, source="original", **track)
        for track in summary.audio_tracks
    ])
    await repository.delete_files_by_role(session, asset.id, list(derived))
    for role, info in derived.items():
        stored = StoredFile(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id, role=role, **info)
        repository.add(session, stored)
        setattr(asset, f"{role}_file_id", stored.id)
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

"""Every SQL statement about assets, stored files and audio tracks."""
from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.assets.models import Asset, AudioTrack, StoredFile
from domain.pagination import Cursor


@dataclass(frozen=True)
class AssetFilter:
    collection_id: uuid.UUID | None = None
    language_id: uuid.UUID | None = None
    status: str | None = None
    search: str | None = None
    sentiment: str | None = None
    classification: str | None = None
    entities: tuple[str, ...] = ()
    # Names (any case), labels (SPEAKER_00) or ids of the asset's speakers: every one must be among them.
    speakers: tuple[str, ...] = ()
    # Created range (inclusive), from a view's created_at conditions.
    created_from: datetime | None = None
    created_to: datetime | None = None


# The speakers table is the transcripts area's; the asset list only asks whether a row exists.
_SPEAKERS = sa.table("speakers", sa.column("asset_id", sa.Uuid), sa.column("tenant_id", sa.Uuid),
                     sa.column("id", sa.Uuid), sa.column("label", sa.String), sa.column("name", sa.String))


def _classification(value: str):
    """An EBU genre by its code (3.1.1, narrower genres included: 3.1.1.12) or by its label (news), any case."""
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)*", value):
        return sa.or_(Asset.classification.like(f"{value} %"), Asset.classification.like(f"{value}.%"))
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    label = sa.func.lower(Asset.classification)
    return sa.or_(label == value.lower(), label.like(f"% {escaped}", escape="\\"))


def _has_speaker(tenant_id: uuid.UUID, speaker: str):
    try:
        as_id = uuid.UUID(speaker)
    except ValueError:
        as_id = None
    wanted = speaker.lower()
    named = sa.or_(sa.func.lower(_SPEAKERS.c.name) == wanted, sa.func.lower(_SPEAKERS.c.label) == wanted)
    if as_id is not None:
        named = sa.or_(named, _SPEAKERS.c.id == as_id)
    return sa.exists().where(_SPEAKERS.c.asset_id == Asset.id, _SPEAKERS.c.tenant_id == tenant_id, named)


async def get(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> Asset | None:
    query = sa.select(Asset).where(Asset.id == asset_id, Asset.tenant_id == tenant_id)
    return (await session.execute(query)).scalar_one_or_none()


async def get_unscoped(session: AsyncSession, asset_id: uuid.UUID) -> Asset | None:
    return await session.get(Asset, asset_id, populate_existing=True)


async def by_external_id(session: AsyncSession, tenant_id: uuid.UUID, external_id: str) -> Asset | None:
    query = sa.select(Asset).where(Asset.tenant_id == tenant_id, Asset.external_id == external_id)
    return (await session.execute(query)).scalar_one_or_none()


async def by_ids(session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[Asset]:
    query = sa.select(Asset).where(Asset.tenant_id == tenant_id, Asset.id.in_(ids))
    return list((await session.execute(query)).scalars())


async def page(
    session: AsyncSession, tenant_id: uuid.UUID, flt: AssetFilter, *, first: int, after: Cursor | None,
    offset: int = 0,
) -> tuple[list[Asset], bool, int]:
    base = sa.select(Asset).where(Asset.tenant_id == tenant_id)
    if flt.collection_id:
        base = base.where(Asset.collection_id == flt.collection_id)
    if flt.language_id:
        base = base.where(Asset.language_id == flt.language_id)
    if flt.status:
        base = base.where(Asset.status == flt.status)
    if flt.sentiment:
        base = base.where(Asset.sentiment == flt.sentiment.lower())
    if flt.classification:
        base = base.where(_classification(flt.classification))
    for speaker in flt.speakers:
        base = base.where(_has_speaker(tenant_id, speaker))
    for entity in flt.entities:  # every named entity must be present
        escaped = entity.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        base = base.where(Asset.entities.like(f"%|{escaped}|%", escape="\\"))
    if flt.created_from is not None:
        base = base.where(Asset.created_at >= flt.created_from)
    if flt.created_to is not None:
        base = base.where(Asset.created_at <= flt.created_to)
    if flt.search:
        escaped = flt.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        base = base.where(Asset.filename.ilike(f"%{escaped}%", escape="\\"))
    total = (await session.execute(sa.select(sa.func.count()).select_from(base.subquery()))).scalar_one()
    query = base
    if after:
        query = query.where(sa.tuple_(Asset.created_at, Asset.id) < sa.tuple_(after.created_at, after.id))
    query = query.order_by(Asset.created_at.desc(), Asset.id.desc()).offset(offset).limit(first + 1)
    items = list((await session.execute(query)).scalars())
    return items[:first], len(items) > first, total


async def files_by_ids(session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[StoredFile]:
    query = sa.select(StoredFile).where(StoredFile.tenant_id == tenant_id, StoredFile.id.in_(ids))
    return list((await session.execute(query)).scalars())


async def tracks_by_asset_ids(
    session: AsyncSession, tenant_id: uuid.UUID, asset_ids: Sequence[uuid.UUID]
) -> list[AudioTrack]:
    query = (
        sa.select(AudioTrack)
        .where(AudioTrack.tenant_id == tenant_id, AudioTrack.asset_id.in_(asset_ids))
        .order_by(AudioTrack.asset_id, AudioTrack.index)
    )
    return list((await session.execute(query)).scalars())


async def track(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID, track_id: uuid.UUID) -> AudioTrack | None:
    query = sa.select(AudioTrack).where(
        AudioTrack.tenant_id == tenant_id, AudioTrack.asset_id == asset_id, AudioTrack.id == track_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def replace_tracks(session: AsyncSession, asset: Asset, tracks: list[AudioTrack]) -> None:
    """Re-probing replaces the original tracks; derived ones (voice-over) stay."""
    await session.execute(
        sa.delete(AudioTrack).where(AudioTrack.asset_id == asset.id, AudioTrack.source == "original")
    )
    session.add_all(tracks)


async def replace_dubbed_tracks(session: AsyncSession, asset: Asset, languages: Sequence[str],
                                tracks: list[AudioTrack]) -> None:
    """A new voice-over replaces the earlier one of its language; other tracks stay."""
    await session.execute(sa.delete(AudioTrack).where(
        AudioTrack.asset_id == asset.id, AudioTrack.source == "voice_over", AudioTrack.language.in_(languages)))
    session.add_all(tracks)


async def delete_files_by_role(session: AsyncSession, asset_id: uuid.UUID, roles: Sequence[str]) -> None:
    await session.execute(sa.delete(StoredFile).where(StoredFile.asset_id == asset_id, StoredFile.role.in_(roles)))


async def delete(session: AsyncSession, asset: Asset) -> None:
    await session.delete(asset)


def add(session: AsyncSession, obj) -> None:
    session.add(obj)

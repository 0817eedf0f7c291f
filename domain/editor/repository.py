"""Every SQL statement about editor projects and their timeline segments."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain import scoped
from domain.assets.models import Asset, StoredFile
from domain.editor.models import Project, TimelineSegment
from domain.pagination import Cursor


async def get_project(session: AsyncSession, tenant_id: uuid.UUID, project_id: uuid.UUID) -> Project | None:
    return await scoped.get(session, Project, tenant_id, project_id)


async def active_segments(session: AsyncSession, tenant_id: uuid.UUID, project_id: uuid.UUID) -> list[TimelineSegment]:
    """The timeline as it plays: active segments in `order_index` order."""
    rows = await session.execute(sa.select(TimelineSegment).where(
        TimelineSegment.tenant_id == tenant_id, TimelineSegment.project_id == project_id, TimelineSegment.active)
        .order_by(TimelineSegment.order_index, TimelineSegment.created_at))
    return list(rows.scalars())


async def get_segment(session: AsyncSession, tenant_id: uuid.UUID, segment_id: uuid.UUID) -> TimelineSegment | None:
    return await scoped.get(session, TimelineSegment, tenant_id, segment_id)


def add(session: AsyncSession, obj) -> None:
    session.add(obj)


async def original_file_keys(session: AsyncSession, tenant_id: uuid.UUID,
                             asset_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Storage key of each asset's original file (the source an `original` segment plays)."""
    if not asset_ids:
        return {}
    rows = await session.execute(sa.select(Asset.id, StoredFile.key).join(StoredFile, StoredFile.id == Asset.original_file_id)
                                 .where(Asset.tenant_id == tenant_id, Asset.id.in_(asset_ids)))
    return {ident: key for ident, key in rows}


async def projects_without_segments(session: AsyncSession, tenant_id: uuid.UUID, asset_id: uuid.UUID) -> list[Project]:
    has_segments = sa.select(TimelineSegment.id).where(TimelineSegment.project_id == Project.id).exists()
    rows = await session.execute(sa.select(Project).where(
        Project.tenant_id == tenant_id, Project.asset_id == asset_id, ~has_segments))
    return list(rows.scalars())


async def project_page(session: AsyncSession, tenant_id: uuid.UUID, *, limit: int, offset: int,
                       after: Cursor | None) -> tuple[list[Project], bool, int]:
    return await scoped.page(session, Project, tenant_id, limit=limit, offset=offset, after=after)


async def segments_by_project_ids(session: AsyncSession, tenant_id: uuid.UUID,
                                  project_ids: list[uuid.UUID]) -> list[TimelineSegment]:
    """Active segments of several projects at once (one statement for a page of projects), in timeline order."""
    rows = await session.execute(sa.select(TimelineSegment).where(
        TimelineSegment.tenant_id == tenant_id, TimelineSegment.project_id.in_(project_ids), TimelineSegment.active)
        .order_by(TimelineSegment.project_id, TimelineSegment.order_index, TimelineSegment.created_at))
    return list(rows.scalars())


async def delete_project(session: AsyncSession, project: Project) -> None:
    """Its segments and variants go with it (ON DELETE CASCADE on both databases)."""
    await session.delete(project)
    await session.flush()

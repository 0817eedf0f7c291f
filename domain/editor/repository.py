"""Every SQL statement about editor projects and their timeline segments."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain import scoped
from domain.editor.models import Project, TimelineSegment


async def get_project(session: AsyncSession, tenant_id: uuid.UUID, project_id: uuid.UUID) -> Project | None:
    return await scoped.get(session, Project, tenant_id, project_id)


async def active_segments(session: AsyncSession, tenant_id: uuid.UUID, project_id: uuid.UUID) -> list[TimelineSegment]:
    """The timeline as it plays: active segments in `order_index` order."""
    rows = await session.execute(sa.select(TimelineSegment).where(
        TimelineSegment.tenant_id == tenant_id, TimelineSegment.project_id == project_id, TimelineSegment.active)
        .order_by(TimelineSegment.order_index, TimelineSegment.created_at))
    return list(rows.scalars())

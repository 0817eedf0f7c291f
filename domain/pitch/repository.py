"""Every SQL statement about submissions."""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pitch.models import Submission


def add(session: AsyncSession, obj: Submission) -> None:
    session.add(obj)


async def get(session: AsyncSession, tenant_id: uuid.UUID, submission_id: uuid.UUID) -> Submission | None:
    query = sa.select(Submission).where(Submission.tenant_id == tenant_id, Submission.id == submission_id)
    return (await session.execute(query)).scalar_one_or_none()


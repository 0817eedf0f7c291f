"""Every SQL statement about submissions and the integer numbers MediaPitch clients know them by."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pitch.models import PitchNumber, Submission


def add(session: AsyncSession, obj: Submission) -> None:
    session.add(obj)


async def get(session: AsyncSession, tenant_id: uuid.UUID, submission_id: uuid.UUID) -> Submission | None:
    query = sa.select(Submission).where(Submission.tenant_id == tenant_id, Submission.id == submission_id)
    return (await session.execute(query)).scalar_one_or_none()



async def number(session: AsyncSession, tenant_id: uuid.UUID, kind: str, target_id: uuid.UUID) -> int:
    """The object's number, given it now if it has none (the sequence is the table's autoincrement key)."""
    found = await numbers(session, kind, [target_id])
    if target_id in found:
        return found[target_id]
    row = PitchNumber(tenant_id=tenant_id, kind=kind, target_id=target_id)
    session.add(row)
    await session.flush()
    return row.number


async def numbers(session: AsyncSession, kind: str, target_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not target_ids:
        return {}
    query = sa.select(PitchNumber.target_id, PitchNumber.number).where(
        PitchNumber.kind == kind, PitchNumber.target_id.in_(list(target_ids)))
    return {target: num for target, num in (await session.execute(query)).all()}


async def give_numbers(session: AsyncSession, tenant_id: uuid.UUID, kind: str,
                       target_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    found = await numbers(session, kind, target_ids)
    rows = [PitchNumber(tenant_id=tenant_id, kind=kind, target_id=t) for t in target_ids if t not in found]
    session.add_all(rows)
    await session.flush()
    return found | {row.target_id: row.number for row in rows}


async def target(session: AsyncSession, tenant_id: uuid.UUID, kind: str, num: int) -> uuid.UUID | None:
    query = sa.select(PitchNumber.target_id).where(
        PitchNumber.number == num, PitchNumber.kind == kind, PitchNumber.tenant_id == tenant_id)
    return (await session.execute(query)).scalar_one_or_none()

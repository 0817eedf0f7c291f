"""Every SQL statement about templates, word lists and dictionaries."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain.templates.models import Dictionary, Template, WordList


def add(session: AsyncSession, obj) -> None:
    session.add(obj)


async def get(session: AsyncSession, model, tenant_id: uuid.UUID, ident: uuid.UUID, kind: str | None = None):
    query = sa.select(model).where(model.tenant_id == tenant_id, model.id == ident)
    if kind is not None:
        query = query.where(model.kind == kind)
    return (await session.execute(query)).scalar_one_or_none()


async def page(session: AsyncSession, model, tenant_id: uuid.UUID, *, limit: int, offset: int,
               kind: str | None = None) -> tuple[list, int]:
    base = sa.select(model).where(model.tenant_id == tenant_id)
    if kind is not None:
        base = base.where(model.kind == kind)
    total = (await session.execute(sa.select(sa.func.count()).select_from(base.subquery()))).scalar_one()
    rows = await session.execute(base.order_by(model.created_at.desc(), model.id.desc()).offset(offset).limit(limit))
    return list(rows.scalars()), total


async def for_template(session: AsyncSession, tenant_id: uuid.UUID, template: Template) -> tuple[list[WordList], list[Dictionary]]:
    """Lists a template names by id, and lists that name the template: both apply."""
    list_ids = [uuid.UUID(i) for i in (template.blacklist_ids or []) + (template.whitelist_ids or [])]
    dict_ids = [uuid.UUID(i) for i in template.dictionary_ids or []]
    lists = await session.execute(sa.select(WordList).where(
        WordList.tenant_id == tenant_id, sa.or_(WordList.id.in_(list_ids), WordList.template_id == template.id)))
    dicts = await session.execute(sa.select(Dictionary).where(
        Dictionary.tenant_id == tenant_id, sa.or_(Dictionary.id.in_(dict_ids), Dictionary.template_id == template.id)))
    return list(lists.scalars()), list(dicts.scalars())


async def existing_ids(session: AsyncSession, model, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID],
                       kind: str | None = None) -> set[uuid.UUID]:
    query = sa.select(model.id).where(model.tenant_id == tenant_id, model.id.in_(ids))
    if kind is not None:
        query = query.where(model.kind == kind)
    return set((await session.execute(query)).scalars())


async def delete(session: AsyncSession, obj) -> None:
    await session.delete(obj)

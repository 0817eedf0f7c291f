"""Every SQL statement about templates, word lists and dictionaries."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from domain import scoped
from domain.pagination import Cursor
from domain.templates.models import Dictionary, Template, WordList


def add(session: AsyncSession, obj) -> None:
    session.add(obj)


async def get(session: AsyncSession, model, tenant_id: uuid.UUID, ident: uuid.UUID, kind: str | None = None):
    return await scoped.get(session, model, tenant_id, ident, kind=kind)


async def page(session: AsyncSession, model, tenant_id: uuid.UUID, *, limit: int, offset: int,
               after: Cursor | None = None, kind: str | None = None) -> tuple[list, bool, int]:
    return await scoped.page(session, model, tenant_id, limit=limit, offset=offset, after=after, kind=kind)


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

"""Running a mutation in its own transaction and turning domain errors into payload errors."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from domain.errors import DomainError, ErrorCode
from domain.pagination import encode_cursor

log = logging.getLogger(__name__)


@dataclass
class UserErrorView:
    field: list[str] | None
    code: ErrorCode
    message: str


class Payload:
    """A mutation's answer: the named results, or `errors` (unset results read as null)."""

    def __init__(self, errors: list[UserErrorView] | None = None, **values: Any):
        self.errors = errors or []
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> None:
        return None


async def mutate(info, work: Callable[..., Awaitable[dict]]) -> Payload:
    """One transaction per mutation field: committed when `work` succeeds, rolled back on any error."""
    ctx = info.context
    viewer = ctx.require_viewer()
    uow = ctx.new_uow()
    try:
        values = await work(uow, ctx.ports, viewer)
        await uow.commit()
        return Payload(**values)
    except DomainError as error:
        await uow.rollback()
        return Payload(errors=[UserErrorView(error.field, error.code, error.message)])
    except Exception:
        await uow.rollback()
        raise
    finally:
        await uow.close()


@dataclass
class Edge:
    cursor: str
    node: Any


@dataclass
class PageInfoView:
    has_next_page: bool
    end_cursor: str | None


@dataclass
class Connection:
    edges: list[Edge]
    page_info: PageInfoView
    total_count: int


def connection(page) -> Connection:
    edges = [Edge(encode_cursor(item.created_at, item.id), item) for item in page.items]
    return Connection(edges, PageInfoView(page.has_next, page.end_cursor), page.total)

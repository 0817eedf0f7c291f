"""Database plumbing: declarative base, portable column types, engines and the unit of work."""
from __future__ import annotations

import asyncio
import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def rfc3339(value: datetime | None, timespec: str = "milliseconds") -> str | None:
    """UTC with `Z` as the documents print it (2024-03-20T10:00:00.000Z; `timespec="seconds"` for whole seconds)."""
    if value is None:
        return None
    if value.tzinfo is None:  # the database keeps UTC; a naive value is UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec=timespec).replace("+00:00", "Z")


class UTCDateTime(sa.TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict: JSONType, list: JSONType}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


def make_engine(url: str, **kwargs) -> AsyncEngine:
    if url.startswith("sqlite"):
        # One writer at a time; WAL lets readers proceed while the worker writes.
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - exercised on connect
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
            # pysqlite's own transaction handling begins lazily, before the first write only, so a
            # request's reads would each see a different moment. We begin transactions ourselves.
            dbapi_conn.isolation_level = None

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(conn):  # pragma: no cover - exercised on every transaction
            conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN IMMEDIATE"))

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


class SerializedSession(AsyncSession):
    """An AsyncSession safe to share between concurrently resolved GraphQL fields.

    GraphQL resolves sibling fields (and dataloader batches) concurrently; one session allows one
    operation at a time, so each awaits its turn instead of failing.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._turn = asyncio.Lock()

    async def execute(self, *args, **kwargs):
        async with self._turn:
            return await super().execute(*args, **kwargs)

    async def scalar(self, *args, **kwargs):
        async with self._turn:
            return await super().scalar(*args, **kwargs)

    async def scalars(self, *args, **kwargs):
        async with self._turn:
            return await super().scalars(*args, **kwargs)

    async def get(self, *args, **kwargs):
        async with self._turn:
            return await super().get(*args, **kwargs)

    async def flush(self, *args, **kwargs):
        async with self._turn:
            return await super().flush(*args, **kwargs)

    async def commit(self):
        async with self._turn:
            return await super().commit()

    async def rollback(self):
        async with self._turn:
            return await super().rollback()

    async def delete(self, instance):
        async with self._turn:
            return await super().delete(instance)


def make_sessionmaker(engine: AsyncEngine, *, reads: bool = False) -> async_sessionmaker[AsyncSession]:
    """Sessions for work that writes (the default) or for a request's reads.

    Reads see one snapshot for the whole request (REPEATABLE READ; a deferred BEGIN on SQLite), so a
    job and the results it committed are never seen half. On SQLite, writers begin IMMEDIATE: a
    transaction that read first could otherwise fail to upgrade once another writer had committed.
    """
    if engine.dialect.name == "sqlite":
        bind = engine.execution_options(sqlite_begin="BEGIN" if reads else "BEGIN IMMEDIATE")
    else:
        bind = engine.execution_options(isolation_level="REPEATABLE READ") if reads else engine
    return async_sessionmaker(bind, class_=SerializedSession, expire_on_commit=False, autoflush=True)


AfterCommit = Callable[[], Awaitable[None] | None]
StagedWrite = Callable[[list], Awaitable[None]]


async def _call(callback: AfterCommit) -> None:
    result = callback()
    if inspect.isawaitable(result):
        await result


class UnitOfWork:
    """One transaction per request or actor run; callbacks (dispatch, events) run only after commit.

    Staged writes run last, inside the transaction, just before it commits (the event log takes its sequences
    there, so the counter's row lock is held only for the commit). After-commit callbacks are isolated: each runs
    even if an earlier one failed, and a failure is logged, never raised, because the transaction already stands.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]):
        self.sessionmaker = sessionmaker
        self._session: AsyncSession | None = None
        self._after_commit: list[AfterCommit] = []
        self._staged: dict[str, tuple[list, StagedWrite]] = {}
        self.rollback_only = False

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self.sessionmaker()
        return self._session

    def after_commit(self, callback: AfterCommit) -> None:
        self._after_commit.append(callback)

    def staged(self, key: str, write: StagedWrite) -> list:
        """The transaction's list under `key`, handed to `write(items)` just before commit; dropped on rollback."""
        if key not in self._staged:
            self._staged[key] = ([], write)
        return self._staged[key][0]

    async def commit(self) -> None:
        if self.rollback_only:
            await self.rollback()
            return
        while self._staged:  # a staged write may stage another
            key = next(iter(self._staged))
            items, write = self._staged.pop(key)
            await write(items)
        if self._session is not None:
            await self._session.commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            try:
                await _call(callback)
            except Exception:  # the message names the callback only: its arguments may carry secrets
                log.error("after-commit callback %s failed; the committed transaction stands",
                          getattr(callback, "__qualname__", type(callback).__name__), exc_info=True)

    async def rollback(self) -> None:
        self._after_commit.clear()
        self._staged.clear()
        if self._session is not None:
            await self._session.rollback()
        self.rollback_only = False

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> "UnitOfWork":
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                await self.commit()
            else:
                await self.rollback()
        finally:
            await self.close()

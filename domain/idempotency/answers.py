"""A mutation's result as JSON: created rows by reference (replayed as they are now), plain values as they were.

Rows are named by table and id, so a replay renders the same objects with whatever selection it asks for;
dataclasses and enums come back as the classes they were, from our own packages only."""
from __future__ import annotations

import dataclasses
import enum
import importlib
import uuid
from datetime import date, datetime

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from domain.db import Base

_OURS = ("domain.", "resolvers.", "schema.")


class Unreplayable(TypeError):
    """A value this codec cannot keep: the key then records that the request ran, without an answer to replay."""


def _class_name(kind: type) -> str:
    return f"{kind.__module__}:{kind.__qualname__}"


def _class(name: str) -> type:
    module, _, qualname = name.partition(":")
    if not module.startswith(_OURS):
        raise Unreplayable(f"{name} is not ours")
    found = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def encode(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return {"$enum": _class_name(type(value)), "value": encode(value.value)}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Base):
        identity = sa_inspect(value).identity
        if identity is None or len(identity) != 1:
            raise Unreplayable(f"a {type(value).__name__} without a single-column identity")
        return {"$row": type(value).__tablename__, "id": str(identity[0])}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"$dataclass": _class_name(type(value)),
                "fields": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"$map": {k: encode(v) for k, v in value.items()}}
    raise Unreplayable(f"cannot keep a {type(value).__name__}")


def _model(table: str) -> type:
    for mapper in Base.registry.mappers:
        if mapper.class_.__tablename__ == table:
            return mapper.class_
    raise Unreplayable(f"no model for {table}")


async def decode(session: AsyncSession, tenant_id: uuid.UUID, value):
    """The values again; a row another tenant owns, or one since deleted, reads as null."""
    if isinstance(value, list):
        return [await decode(session, tenant_id, v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$row" in value:
        row = await session.get(_model(value["$row"]), uuid.UUID(value["id"]))
        return None if row is None or getattr(row, "tenant_id", tenant_id) != tenant_id else row
    if "$uuid" in value:
        return uuid.UUID(value["$uuid"])
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$enum" in value:
        return _class(value["$enum"])(await decode(session, tenant_id, value["value"]))
    if "$dataclass" in value:
        fields = {k: await decode(session, tenant_id, v) for k, v in value["fields"].items()}
        return _class(value["$dataclass"])(**fields)
    return {k: await decode(session, tenant_id, v) for k, v in value["$map"].items()}

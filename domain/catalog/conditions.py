"""A view's filter conditions: `{field, operator, value}` over the asset list's filters, checked one by one (an
invalid one is named by its index and field) and turned into the asset list's AssetFilter."""
from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timezone

from domain.assets.models import ASSET_STATUSES
from domain.assets.repository import AssetFilter
from domain.errors import ValidationFailed

SENTIMENTS = ("negative", "neutral", "positive")
MAX_CONDITIONS = 50
# field -> the operators it takes; single-valued fields take `eq`, lists `contains` (all must be present).
OPERATORS = {
    "collection_id": ("eq",), "status": ("eq",), "language_id": ("eq",), "sentiment": ("eq",),
    "classification": ("eq",), "entities": ("contains",), "speakers": ("contains",),
    "created_at": ("gte", "lte"), "text": ("contains",),
}


def _fail(index: int, field: str | None, message: str) -> ValidationFailed:
    where = f"filterParams[{index}]" + (f" ({field})" if field else "")
    return ValidationFailed(f"{where}: {message}", field=["input", "filterParams", str(index)])


def _text(index: int, field: str, value) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise _fail(index, field, "value must be a string of 1 to 200 characters")
    return value.strip()


def _values(index: int, field: str, value) -> list[str]:
    items = [v for v in value.split(",") if v.strip()] if isinstance(value, str) else value  # "a, b," is a, b
    if not isinstance(items, list) or not items:
        raise _fail(index, field, "value must be a string or a non-empty list of strings")
    return [_text(index, field, v) for v in items]


def _value(index: int, field: str, value):
    if field in ("collection_id", "language_id"):
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            raise _fail(index, field, "value must be an id") from None
    if field in ("entities", "speakers"):
        return _values(index, field, value)
    text = _text(index, field, value)
    if field == "status" and text.lower() not in ASSET_STATUSES:
        raise _fail(index, field, f"value must be one of {', '.join(ASSET_STATUSES)}")
    if field == "sentiment" and text.lower() not in SENTIMENTS:
        raise _fail(index, field, f"value must be one of {', '.join(SENTIMENTS)}")
    if field == "created_at":
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
            return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
        except (ValueError, OverflowError):  # not a date, or out of range once in UTC
            raise _fail(index, field, "value must be an ISO 8601 date or time") from None
    return text.lower() if field in ("status", "sentiment") else text


def validate(conditions) -> list[dict]:
    """The stored form of the conditions, or a ValidationFailed naming the first bad one."""
    if not isinstance(conditions, list) or not conditions:
        raise ValidationFailed("filterParams needs at least one condition", field=["input", "filterParams"])
    if len(conditions) > MAX_CONDITIONS:
        raise ValidationFailed(f"filterParams takes at most {MAX_CONDITIONS} conditions", field=["input", "filterParams"])
    out, seen = [], set()
    for index, condition in enumerate(conditions):
        if not isinstance(condition, dict) or set(condition) - {"field", "operator", "value"}:
            raise _fail(index, None, "a condition is an object with field, operator and value")
        field, operator = condition.get("field"), condition.get("operator") or "eq"
        if field not in OPERATORS:
            raise _fail(index, str(field), f"field must be one of {', '.join(OPERATORS)}")
        if operator not in OPERATORS[field]:
            raise _fail(index, field, f"operator must be {' or '.join(OPERATORS[field])}")
        if "value" not in condition or condition["value"] is None:
            raise _fail(index, field, "value is required")
        if (field, operator) in seen and field not in ("entities", "speakers"):
            raise _fail(index, field, f"{field} {operator} is given twice")
        seen.add((field, operator))
        out.append({"field": field, "operator": operator, "value": _value(index, field, condition["value"])})
    return out


def to_filter(conditions: list[dict]) -> AssetFilter:
    values: dict = {}
    for c in conditions:
        field, value = c["field"], c["value"]
        if field in ("collection_id", "language_id"):
            values[field] = uuid.UUID(value)
        elif field in ("entities", "speakers"):
            values[field] = values.get(field, ()) + tuple(value)
        elif field == "created_at":
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            values["created_from" if c["operator"] == "gte" else "created_to"] = moment
        else:
            values["search" if field == "text" else field] = value
    return AssetFilter(**values)


def merge(view: AssetFilter, request: AssetFilter) -> AssetFilter:
    """The request's own filters on top of the view's: lists add up, a single value the request sets wins."""
    changes = {}
    for f in dataclasses.fields(AssetFilter):
        mine = getattr(request, f.name)
        if isinstance(mine, tuple):
            changes[f.name] = getattr(view, f.name) + mine
        elif mine is not None:
            changes[f.name] = mine
    return dataclasses.replace(view, **changes)

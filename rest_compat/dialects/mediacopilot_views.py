"""MediaCopilot rows for filter views: the five CRUD routes; a view applies with `GET /v1/assets?view_id=`."""
from __future__ import annotations

from typing import Annotated, Any

import msgspec

from rest_compat.dialects.common import Name, documented
from rest_compat.dialects.mediacopilot_templates import crud


class Condition(msgspec.Struct, forbid_unknown_fields=True):
    """A field of the asset list (collection_id, status, language_id, sentiment, classification, entities,
    speakers, created_at, text), an operator (eq; contains for entities, speakers, text; gte/lte for created_at)."""
    field: str
    value: str | list[str]
    operator: str = "eq"


def _variant(fields: list[str], operators: list[str], value: dict) -> dict:
    """One shape of condition: the fields it names, their operators and the value they take (`eq` may be left out)."""
    required = ["field", "value"] if operators == ["eq"] else ["field", "operator", "value"]
    return {"type": "object", "properties": {"field": {"enum": fields}, "operator": {"enum": operators},
                                             "value": value},
            "required": required, "additionalProperties": False}


_TEXT = {"type": "string", "pattern": r"\S", "maxLength": 200}
_ONE_VALUE = {"type": "string", "pattern": r"^[^,]*\S[^,]*$", "maxLength": 200}  # a string is split on commas
_ID = {"type": "string", "pattern": r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"}
# What the service checks (domain/catalog/conditions.py), per field: JSON Schema's oneOf keyed by `field`.
_SHAPES = documented(oneOf=[
    _variant(["collection_id", "language_id"], ["eq"], _ID),
    _variant(["status"], ["eq"], {"type": "string", "enum": ["uploading", "processing", "ready", "failed"]}),
    _variant(["sentiment"], ["eq"], {"type": "string", "enum": ["negative", "neutral", "positive"]}),
    _variant(["classification"], ["eq"], _TEXT),
    _variant(["text"], ["contains"], _TEXT),
    _variant(["entities", "speakers"], ["contains"],
             {"oneOf": [_ONE_VALUE, {"type": "array", "items": _TEXT, "minItems": 1}]}),
    _variant(["created_at"], ["gte", "lte"], {"type": "string", "format": "date"}),
])


class ConditionOut(msgspec.Struct):
    field: str
    operator: str
    value: Any


class View(msgspec.Struct):
    id: str
    name: str
    filter_params: list[ConditionOut]
    created_at: str


Conditions = Annotated[list[Annotated[Condition, _SHAPES]], documented(minItems=1, maxItems=50)]


class ViewChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    filter_params: Conditions | None = None


class ViewCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    filter_params: Conditions


FIELDS = "id name createdAt filterParams { field operator value }"


def view_view(v: dict, call=None) -> dict:
    return {"id": v["id"], "name": v["name"], "filter_params": v["filterParams"], "created_at": v["createdAt"]}


def _input(body, ident=None) -> dict:
    params = None if body.filter_params is None else [
        {"field": c.field, "operator": c.operator, "value": c.value} for c in body.filter_params]
    return {"input": {"id": ident, "name": body.name, "filterParams": params}}


ROUTES = crud("/v1/views", "view_id", "view", one="view", many="views", save="saveView", field="view",
              delete="deleteView", fields=FIELDS, view=view_view, response=View, create=ViewCreate,
              change=ViewChange, to_input=_input, input_type="ViewInput")

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


class ConditionOut(msgspec.Struct):
    field: str
    operator: str
    value: Any


class View(msgspec.Struct):
    id: str
    name: str
    filter_params: list[ConditionOut]
    created_at: str


Conditions = Annotated[list[Condition], documented(minItems=1, maxItems=50)]


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

"""Collection and View."""
from __future__ import annotations

from datetime import datetime

import strawberry

from domain.catalog import models
from schema.common import JSONScalar, Node, model_check


@strawberry.type
class ViewCondition:
    field: str
    operator: str
    value: JSONScalar


@strawberry.type
class Collection(Node):
    is_type_of = model_check(models.Collection)
    name: str
    created_at: datetime

    @strawberry.field(description="The default template of assets created in the collection without one.")
    def template_id(self) -> strawberry.ID | None:
        return strawberry.ID(str(self.template_id)) if self.template_id else None


@strawberry.type
class View(Node):
    is_type_of = model_check(models.View)
    name: str
    created_at: datetime

    @strawberry.field(description="Conditions over the asset list's filters; all must hold.")
    def filter_params(self) -> list[ViewCondition]:
        return [ViewCondition(field=c["field"], operator=c["operator"], value=c["value"])
                for c in self.filter_params or []]

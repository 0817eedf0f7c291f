"""The editor's timeline segment as the document shows it, shared by the project rows and the variant rows."""
from __future__ import annotations

import msgspec

from rest_compat.dialects.common import lower

SEGMENT = "id projectId startTs endTs source url variantId orderIndex active"


class Segment(msgspec.Struct):
    id: str
    project_id: str
    start_ts: float
    end_ts: float
    source: str
    url: str | None
    variant_id: str | None
    order_index: int
    active: bool


def segment_view(s: dict, call=None) -> dict:
    return {"id": s["id"], "project_id": s["projectId"], "start_ts": s["startTs"], "end_ts": s["endTs"],
            "source": lower(s["source"]), "url": s["url"], "variant_id": s["variantId"],
            "order_index": s["orderIndex"], "active": s["active"]}

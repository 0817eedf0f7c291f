"""MediaCopilot rows over the asset pipeline's analysis: metadata, camera shots, faces, autocenter, sound descriptions."""
from __future__ import annotations

import msgspec

from rest_compat.dialects.common import Page, sliced
from rest_compat.table import Route

ITEM = "id kind startMs endMs data createdAt file { url contentType }"


class Item(msgspec.Struct):
    id: str
    start_ms: int | None
    end_ms: int | None
    created_at: str


class Shot(Item):
    index: int
    thumbnail_url: str | None


class Face(Item):
    track_id: int
    fingerprint: str
    instances: list[dict]
    crop_url: str | None


class Autocenter(Item):
    scene: int
    points: list[dict]


class SoundDescription(Item):
    kind: str
    text: str


class Metadata(Item):
    sentiment: dict | None
    topics: list[dict] | None
    summary: str | None
    ocr: list[dict] | None
    entities: list[str] | None
    classification: str | None


class Deleted(msgspec.Struct):
    id: str
    deleted: bool


def _base(i: dict) -> dict:
    return {"id": i["id"], "start_ms": i["startMs"], "end_ms": i["endMs"], "created_at": i["createdAt"]}


def _url(i: dict) -> str | None:
    return (i.get("file") or {}).get("url")


VIEWS = {
    "CAMERA_SHOT": lambda i: {**_base(i), "index": i["data"]["index"], "thumbnail_url": _url(i)},
    "FACE": lambda i: {**_base(i), "track_id": i["data"]["track_id"], "fingerprint": i["data"]["fingerprint"],
                       "instances": i["data"]["instances"], "crop_url": _url(i)},
    "AUTOCENTER": lambda i: {**_base(i), "scene": i["data"]["scene"], "points": i["data"]["points"]},
    "SOUND_DESCRIPTION": lambda i: {**_base(i), "kind": i["data"]["kind"], "text": i["data"]["text"]},
    "METADATA": lambda i: {**_base(i), **{k: i["data"].get(k) for k in ("sentiment", "topics", "summary", "ocr",
                                                                        "entities", "classification")}},
}


def _list_struct(name: str, item: type) -> type:
    return msgspec.defstruct(name, [("data", list[item]), ("page", int), ("items", int), ("total", int)])


def _rows(path: str, kind: str, item: type, summary: str, one: str | None = None, delete: bool = False) -> list[Route]:
    view = VIEWS[kind]
    rows = [Route("GET", f"/v1/assets/{{asset_id}}/{path}",
                  f"query($a: ID!) {{ analysisItems(assetId: $a, kind: {kind}) {{ {ITEM} }} }}", "analysisItems",
                  lambda items, call: {"data": [view(i) for i in sliced(items, call.query)], "page": call.query.page,
                                       "items": call.query.items, "total": len(items)},
                  {"a": "path.asset_id"}, query=Page, response=_list_struct(f"{item.__name__}List", item),
                  summary=summary)]
    if one:
        rows.append(Route("GET", f"/v1/assets/{{asset_id}}/{path}/{{{one}}}",
                          f"query($a: ID!, $i: ID!) {{ analysisItem(assetId: $a, kind: {kind}, id: $i) {{ {ITEM} }} }}",
                          "analysisItem", lambda i, call: view(i), {"a": "path.asset_id", "i": f"path.{one}"},
                          response=item, summary=f"One of: {summary.lower()}"))
    if delete:
        rows.append(Route("DELETE", f"/v1/assets/{{asset_id}}/{path}/{{{one}}}",
                          f"""mutation($a: ID!, $i: ID!) {{ deleteAnalysisItem(assetId: $a, kind: {kind}, id: $i) {{
                            deletedId errors {{ field code message }} }} }}""",
                          "deleteAnalysisItem", lambda v, c: {"id": v["deletedId"], "deleted": True},
                          {"a": "path.asset_id", "i": f"path.{one}"}, response=Deleted, payload=True,
                          summary="Delete one"))
    return rows


ROUTES = (
    _rows("metadata", "METADATA", Metadata, "Analysis metadata documents (sentiment, topics, summary, on-screen text)",
          one="metadata_id")
    + _rows("camera_shoots", "CAMERA_SHOT", Shot, "Camera shots with a thumbnail each")
    + _rows("faces", "FACE", Face, "Face tracks with a crop and a fingerprint each")
    + _rows("autocenter", "AUTOCENTER", Autocenter, "Per shot, the smoothed crop centre over time (0..1)")
    + _rows("sound_descriptions", "SOUND_DESCRIPTION", SoundDescription,
            "Sound descriptions: silence, speech, music or tone, noise, loud bursts", one="description_id", delete=True)
)

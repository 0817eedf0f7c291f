"""MediaCopilot rows for collections: the five CRUD routes, and adding or removing assets (all or nothing)."""
from __future__ import annotations

from typing import Annotated

import msgspec

from rest_compat.dialects.common import Name, documented
from rest_compat.dialects.mediacopilot_templates import crud
from rest_compat.table import Route


class Collection(msgspec.Struct):
    id: str
    name: str
    template_id: str | None
    created_at: str


class CollectionChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    template_id: str | None = None


class CollectionCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    template_id: str | None = None


# One id, a list of ids or one comma-separated string; at least one.
AssetIds = Annotated[list[str], documented(minItems=1, maxItems=500)] | Annotated[str, documented(pattern=r"[^,\s]")]


class CollectionAssets(msgspec.Struct, forbid_unknown_fields=True):
    asset_ids: AssetIds


FIELDS = "id name templateId createdAt"


def collection_view(c: dict, call=None) -> dict:
    return {"id": c["id"], "name": c["name"], "template_id": c["templateId"], "created_at": c["createdAt"]}


def _input(body, ident=None) -> dict:
    return {"input": {"id": ident, "name": body.name, "templateId": body.template_id}}


def _ids(value) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else value


def _assets_row(method: str, mutation: str, summary: str) -> Route:
    return Route(method, "/v1/collections/{collection_id}/assets",
                 f"mutation($input: CollectionAssetsInput!) {{ {mutation}(input: $input) {{ "
                 f"collection {{ {FIELDS} }} errors {{ field code message }} }} }}",
                 mutation, lambda v, c: collection_view(v["collection"]),
                 lambda c: {"input": {"collectionId": c.path["collection_id"], "assetIds": _ids(c.body.asset_ids)}},
                 body=CollectionAssets, response=Collection, payload=True, summary=summary)


ROUTES = crud("/v1/collections", "collection_id", "collection", one="collection", many="collections",
              save="saveCollection", field="collection", delete="deleteCollection", fields=FIELDS,
              view=collection_view, response=Collection, create=CollectionCreate, change=CollectionChange,
              to_input=_input, input_type="CollectionInput") + [
    _assets_row("POST", "addCollectionAssets", "Add assets to a collection (every id must be yours)"),
    _assets_row("DELETE", "removeCollectionAssets", "Remove assets from a collection (they are kept)"),
]

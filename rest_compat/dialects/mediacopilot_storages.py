"""MediaCopilot rows for external storages (S3, Azure, GCS): a tenant's own, and every tenant's for admin keys."""
from __future__ import annotations

from typing import Literal

import msgspec

from rest_compat.dialects.common import Name, Page, connection_list, lower, page_variables
from rest_compat.dialects.mediacopilot_templates import crud
from rest_compat.table import Route

STORAGE = "id tenantId name type destination exportPath hasAuthenticationData externalId lastExportAt createdAt"


# ---------------------------------------------------------------- shapes
class ExternalStorage(msgspec.Struct):
    id: str
    name: str
    type: Literal["aws_s3", "azure", "gcp_storage", "dummy"]
    destination: dict
    export_path: str | None
    has_authentication_data: bool
    last_export_at: str | None
    created_at: str
    external_id: str | None = None  # aws_s3: the ExternalId sent when assuming iam_role_arn (server-made, per tenant)


class AdminExternalStorage(ExternalStorage):
    tenant_id: str = ""


StorageType = Literal["aws_s3", "azure", "gcp_storage", "dummy"]


class StorageChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | None = None
    type: StorageType | None = None
    destination: dict | None = None
    export_path: str | None = None
    authentication_data: dict | None = None


class StorageCreate(StorageChange, forbid_unknown_fields=True, kw_only=True):
    name: Name
    type: StorageType

    def __post_init__(self):
        for required in ("name", "type"):
            if not getattr(self, required):
                raise msgspec.ValidationError(f"Object missing required field `{required}`")


# ---------------------------------------------------------------- views
def storage_view(s: dict, call=None) -> dict:
    return {"id": s["id"], "name": s["name"], "type": lower(s["type"]), "destination": s["destination"],
            "export_path": s["exportPath"], "has_authentication_data": s["hasAuthenticationData"],
            "external_id": s["externalId"], "last_export_at": s["lastExportAt"], "created_at": s["createdAt"]}


def admin_storage_view(s: dict, call=None) -> dict:
    return storage_view(s) | {"tenant_id": s["tenantId"]}


def _storage_input(body, ident=None) -> dict:
    return {"input": {"id": ident, "name": body.name, "type": body.type.upper() if body.type else None,
                      "destination": body.destination, "exportPath": body.export_path,
                      "authenticationData": body.authentication_data}}


ROUTES = crud("/v1/external_storages", "external_storage_id", "external storage", one="externalStorage",
              many="externalStorages", save="saveExternalStorage", field="externalStorage",
              delete="deleteExternalStorage", fields=STORAGE, view=storage_view, response=ExternalStorage,
              create=StorageCreate, change=StorageChange, to_input=_storage_input,
              input_type="ExternalStorageInput") + [
    Route("GET", "/v1/admin/external_storages",
          f"""query($first: Int, $offset: Int!) {{ adminExternalStorages(first: $first, offset: $offset) {{
            totalCount edges {{ node {{ {STORAGE} }} }} }} }}""", "adminExternalStorages",
          connection_list(admin_storage_view), page_variables, query=Page,
          summary="Every tenant's external storages (admin keys only)"),
    Route("GET", "/v1/admin/external_storages/{external_storage_id}",
          f"query($id: ID!) {{ adminExternalStorage(id: $id) {{ {STORAGE} }} }}", "adminExternalStorage",
          admin_storage_view, {"id": "path.external_storage_id"}, response=AdminExternalStorage,
          summary="Any tenant's external storage (admin keys only)"),
]

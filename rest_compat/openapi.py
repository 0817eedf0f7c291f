"""OpenAPI 3.1 documents generated from the same tables: one per dialect, a merged one, and Swagger UI."""
from __future__ import annotations

import html
import re

import msgspec
import msgspec.inspect as mi
from litestar import MediaType, Response, get

from rest_compat.table import Dialect, Route
from web import pages as web_pages

REF = "#/components/schemas/{name}"
# Component names in each document's own words, prefixed per dialect: a generated client gets one class per
# dialect's `Error`, `Job` or `Attributes` (openapi-python-client drops operations whose models share a title).
PREFIXES = {"mediacopilot": "MediaCopilot", "ai_gateway": "Gateway", "mediapitch": "MediaPitch",
            "metavision": "MetaVision", "editor": "Editor"}
TOPICS = {"analyses": "VideoAnalysis"}  # the AI Gateway's own word for its analyses
_MODULE_HEADS = ("ai_gateway", "mediacopilot", "mediapitch", "metavision", "editor", "jsonapi", "common")
_NAMED = (mi.StructType, mi.DataclassType, mi.TypedDictType, mi.NamedTupleType)


def _named_types(types: list) -> list:
    """Every type msgspec makes a component of (structs and enums, nested ones too), in first-seen order."""
    found: dict = {}

    def walk(t):
        if isinstance(t, _NAMED):
            if t.cls not in found:
                found[t.cls] = None
                for f in t.fields:
                    walk(f.type)
        elif isinstance(t, mi.EnumType):
            found[t.cls] = None
        else:
            for attr in ("type", "item_type", "key_type", "value_type"):
                if isinstance(getattr(t, attr, None), mi.Type):
                    walk(getattr(t, attr))
            for sub in getattr(t, "types", ()) or getattr(t, "item_types", ()):
                walk(sub)

    for info in mi.multi_type_info(types):
        walk(info)
    return list(found)


def _msgspec_name(cls, components: dict) -> str:
    # msgspec names a component by its class, or by module path when two classes share a name.
    full = re.sub(r"[^a-zA-Z0-9.\-_]", "_", f"{cls.__module__}.{cls.__qualname__}")
    return full if full in components else re.sub(r"[^a-zA-Z0-9.\-_]", "_", cls.__name__)


def _topic(cls) -> str:
    """The module's subject, singular: `ai_gateway_transcriptions` -> `Transcription`, `mediacopilot_clips` -> `Clip`."""
    module = cls.__module__.rsplit(".", 1)[-1]
    for head in _MODULE_HEADS:
        if module.startswith(head):
            module = module[len(head):].strip("_")
            break
    if module in TOPICS:
        return TOPICS[module]
    words = module.split("_") if module else []
    if words:
        last = words[-1]
        words[-1] = (last[:-2] + "is" if last.endswith("ses") else last if last.endswith(("is", "ss"))
                     else last[:-1] if last.endswith("s") else last)
    return "".join(w.capitalize() for w in words)


def _names(dialect: str, classes: list) -> dict:
    """Class -> component name: the dialect's prefix, then the class name, led by its module's topic on a clash."""
    prefix = PREFIXES.get(dialect, "".join(w.capitalize() for w in dialect.split("_")))
    counts: dict = {}
    for cls in classes:
        counts[cls.__name__] = counts.get(cls.__name__, 0) + 1
    names: dict = {}
    for cls in classes:
        base = cls.__name__
        topic = _topic(cls) if counts[base] > 1 else ""
        base = base if base.startswith(topic) else topic + base
        name = base if base.startswith(prefix) else prefix + base
        while name in names.values():  # two same-named classes in one module (defstruct): keep both, numbered
            name += "_"
        names[cls] = name
    return names


def _renamed(value, refs: dict):
    """References renamed; a bare `list` gets `items: {}` (generators refuse an array of nothing said)."""
    if isinstance(value, dict):
        out = {k: (refs.get(v, v) if k == "$ref" else _renamed(v, refs)) for k, v in value.items()}
        if out.get("type") == "array" and "items" not in out:
            out["items"] = {}
        if out.get("type") == "integer":  # every integer reaches GraphQL as an Int: 32 bits, signed
            out.setdefault("format", "int32")
            out.setdefault("minimum", -2**31)
            out.setdefault("maximum", 2**31 - 1)
        return out
    if isinstance(value, list):
        return [_renamed(v, refs) for v in value]
    return value


def _schemas(dialect: str, types: list) -> tuple[dict, dict]:
    """The dialect's schemas: type -> `$ref`, and its components under dialect-prefixed names."""
    unique = list(dict.fromkeys(t for t in types if t is not None))
    refs, components = msgspec.json.schema_components(unique, ref_template=REF)
    names = _names(dialect, _named_types(unique))
    old_to_new = {_msgspec_name(cls, components): name for cls, name in names.items()}
    ref_map = {REF.format(name=old): REF.format(name=new) for old, new in old_to_new.items()}
    renamed = {}
    for old, schema in components.items():
        schema = _renamed(schema, ref_map)
        schema["title"] = old_to_new[old]
        renamed[old_to_new[old]] = schema
    return dict(zip(unique, _renamed(list(refs), ref_map))), renamed


def _parameters(row: Route, components: dict, query_ref: dict | None) -> list[dict]:
    params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in row.path_params]
    if query_ref is not None:
        name = query_ref["$ref"].rsplit("/", 1)[1]
        schema = components[name]
        for prop, spec in schema.get("properties", {}).items():
            params.append({"name": prop, "in": "query", "required": prop in schema.get("required", []), "schema": spec})
    return params


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    # Printable ASCII; what a header keeps (no space at either end).
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]([ -~]*[!-~])?$"},
    "description": "Send a retry with the same key and the same request within 24 hours and it gets the first "
                   "answer again (with `Idempotent-Replayed: true`) and creates nothing; the key with another request "
                   "is 422 IDEMPOTENCY_KEY_REUSED, while the first is still running 409 IDEMPOTENCY_KEY_IN_USE. "
                   "Printable ASCII; keys are per tenant (draft-ietf-httpapi-idempotency-key-header).",
}


def _security() -> dict:
    return {
        "bearerAuth": {"type": "http", "scheme": "bearer", "description": "API key, or a JWT from POST /oauth/token"},
        "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        "oauth2ClientCredentials": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/oauth/token",
                                                                                       "scopes": {}}}},
    }


def document(dialects: list[Dialect], title: str, description: str) -> dict:
    paths: dict = {}
    components: dict = {}
    for dialect in dialects:
        types = [dialect.error_schema] + [t for row in dialect.routes for t in (row.body, row.query, row.response)]
        refs, own = _schemas(dialect.name, types)
        if dialect.unknown_fields == "ignore":  # the server drops keys it does not know: say so, as it behaves
            for schema in own.values():
                if schema.get("additionalProperties") is False:
                    del schema["additionalProperties"]
        components.update(own)
        error_ref = refs[dialect.error_schema]
        for row in dialect.routes:
            success = {"description": "success"}
            if row.response is not None:
                success["content"] = {"application/json": {"schema": refs[row.response]}}
            responses = {str(row.status): success}
            statuses = set(dialect.error_statuses) | ({401, 403} if row.auth else set())
            if row.body is not None:
                statuses |= {400, 422, 413}
            if row.payload:  # a mutation can meet a conflicting state (a taken external id, a finished upload)
                statuses.add(dialect.status_for("CONFLICT"))
            statuses.add(429)  # every row spends from a rate budget (the tenant's, or the address's)
            if row.idempotent:  # Idempotency-Key: another request under the key 422, the key still running 409
                statuses |= {409, 422}
            for status in sorted(statuses):
                responses[str(status)] = {"description": "error", "content": {"application/json": {"schema": error_ref}}}
            operation = {
                # What a generated client names its function: `post_v1_assets_asset_id_start_upload`.
                "operationId": "_".join([row.method.lower(), *re.findall(r"[a-z0-9]+", row.path.lower())]),
                "summary": row.summary or f"{row.method} {row.path}",
                "tags": [dialect.title],
                "parameters": _parameters(row, components, refs.get(row.query) if row.query else None)
                + ([IDEMPOTENCY_KEY] if row.idempotent else []),
                "responses": responses,
            }
            if row.files:
                text_fields = refs[row.body]["$ref"].rsplit("/", 1)[1]
                fields = dict(components[text_fields], title=f"{text_fields}Multipart")
                fields["properties"] = {**fields.get("properties", {}),
                                        **{f: {"type": "string", "format": "binary"} for f in row.files}}
                fields["required"] = sorted(set(fields.get("required", [])) | set(row.files))
                components[fields["title"]] = fields  # a named model in generated clients, files and text together
                operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {
                    "schema": {"$ref": REF.format(name=fields["title"])}}}}
            elif row.body is not None:
                operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": refs[row.body]}}}
            if row.auth:
                operation["security"] = [{"bearerAuth": []}, {"apiKeyHeader": []}, {"oauth2ClientCredentials": []}]
            else:
                operation["security"] = []
            paths.setdefault(row.path, {})[row.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1.0.0", "description": description},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": _security()},
    }


# Swagger UI from our own origin: swagger-ui-dist at a pinned version (tools/web/, copied into web/vendor/ by
# `make web`), started by /ide/swagger.js (no inline script) with the documents listed in data-urls. Served with
# the console's Content-Security-Policy (web/pages.py). persistAuthorization off: a key typed into "Authorize" is
# never written to localStorage; validatorUrl null: the spec's address is not sent to swagger.io's validator badge.
SWAGGER = """<!doctype html><html lang="en"><head><title>Mediagraph REST</title><meta charset="utf-8">
<link rel="icon" href="data:,"><link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css"></head>
<body><div id="ui" data-urls="URLS"></div><script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/vendor/swagger-ui/swagger-ui-standalone-preset.js"></script>
<script src="/ide/swagger.js"></script></body></html>"""


def routes(dialects: list[Dialect]) -> list:
    merged = document(dialects, "Mediagraph REST compatibility",
                      "Every documented route Mediagraph serves, in the five dialects, on one GraphQL schema.")
    per_dialect = {d.name: document([d], d.title, d.description) for d in dialects}
    urls = [{"url": "/openapi.json", "name": "All dialects"}] + [
        {"url": f"/openapi/{name}.json", "name": per_dialect[name]["info"]["title"]} for name in per_dialect]
    page = SWAGGER.replace("URLS", html.escape(msgspec.json.encode(urls).decode()))

    @get("/openapi.json", include_in_schema=False, sync_to_thread=False)
    def merged_document() -> dict:
        return merged

    @get("/openapi/{document:str}", include_in_schema=False, sync_to_thread=False)
    def dialect_document(document: str) -> Response:
        # Litestar parameters take whole path segments: the ".json" suffix is part of the value.
        dialect = document.removesuffix(".json")
        if dialect not in per_dialect:
            return Response({"error": {"code": "NOT_FOUND", "message": f"no dialect {dialect}"}}, status_code=404)
        return Response(per_dialect[dialect])

    @get(["/swagger", "/swagger/"], include_in_schema=False, sync_to_thread=False, media_type=MediaType.HTML)
    def swagger() -> Response:
        return Response(page, media_type=MediaType.HTML, headers=web_pages.HEADERS)

    return [merged_document, dialect_document, swagger]

"""OpenAPI 3.1 documents generated from the same tables: one per dialect, a merged one, and Swagger UI."""
from __future__ import annotations

import msgspec
from litestar import MediaType, Response, get

from rest_compat.table import Dialect, Route

REF = "#/components/schemas/{name}"


def _schemas(types: list) -> tuple[list[dict], dict]:
    unique = list(dict.fromkeys(t for t in types if t is not None))
    refs, components = msgspec.json.schema_components(unique, ref_template=REF)
    return dict(zip(unique, refs)), components


def _parameters(row: Route, components: dict, query_ref: dict | None) -> list[dict]:
    params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in row.path_params]
    if query_ref is not None:
        name = query_ref["$ref"].rsplit("/", 1)[1]
        schema = components[name]
        for prop, spec in schema.get("properties", {}).items():
            params.append({"name": prop, "in": "query", "required": prop in schema.get("required", []), "schema": spec})
    return params


def _security() -> dict:
    return {
        "bearerAuth": {"type": "http", "scheme": "bearer", "description": "API key, or a JWT from POST /oauth/token"},
        "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        "oauth2ClientCredentials": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/oauth/token",
                                                                                       "scopes": {}}}},
    }


def document(dialects: list[Dialect], title: str, description: str) -> dict:
    types = []
    for dialect in dialects:
        types.append(dialect.error_schema)
        for row in dialect.routes:
            types += [row.body, row.query, row.response]
    refs, components = _schemas(types)
    paths: dict = {}
    for dialect in dialects:
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
            for status in sorted(statuses):
                responses[str(status)] = {"description": "error", "content": {"application/json": {"schema": error_ref}}}
            operation = {
                "operationId": f"{dialect.name}:{row.method}:{row.path}",
                "summary": row.summary or f"{row.method} {row.path}",
                "tags": [dialect.title],
                "parameters": _parameters(row, components, refs.get(row.query) if row.query else None),
                "responses": responses,
            }
            if row.files:
                fields = dict(components[refs[row.body]["$ref"].rsplit("/", 1)[1]])
                fields["properties"] = {**fields.get("properties", {}),
                                        **{f: {"type": "string", "format": "binary"} for f in row.files}}
                fields["required"] = sorted(set(fields.get("required", [])) | set(row.files))
                operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": fields}}}
            elif row.body is not None:
                operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": refs[row.body]}}}
            if row.auth:
                operation["security"] = [{"bearerAuth": []}, {"apiKeyHeader": []}, {"oauth2ClientCredentials": []}]
            else:
                operation["security"] = []
            paths.setdefault(row.path, {})[row.method.lower()] = operation
    for name, schema in components.items():
        schema.setdefault("title", name)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1.0.0", "description": description},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": _security()},
    }


# swagger-ui-dist, one exact version, each file pinned by its SHA-384 (Subresource Integrity): a changed or
# compromised CDN file is refused by the browser. No Python package ships a Swagger UI that renders OpenAPI 3.1.
# To upgrade: `npm pack swagger-ui-dist@X`, then `openssl dgst -sha384 -binary FILE | openssl base64 -A` per file.
SWAGGER_UI = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0"
SWAGGER_SRI = {
    "swagger-ui.css": "sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I",
    "swagger-ui-bundle.js": "sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9",
    "swagger-ui-standalone-preset.js": "sha384-My2aDM4r2Mbm3ybHcubKm9O9U8FEjvF/O5nGvE9YK5dzqOTbWEKa79RPJ1krdMaF",
}


def _asset(name: str) -> str:
    pinned = f'href="{SWAGGER_UI}/{name}"' if name.endswith(".css") else f'src="{SWAGGER_UI}/{name}"'
    return f'{pinned} integrity="{SWAGGER_SRI[name]}" crossorigin="anonymous"'


# persistAuthorization off: a key typed into "Authorize" is never written to localStorage;
# validatorUrl null: the spec's address is not sent to swagger.io's validator badge.
SWAGGER = f"""<!doctype html><html><head><title>Mediagraph REST</title><meta charset="utf-8">
<link rel="stylesheet" {_asset("swagger-ui.css")}></head>
<body><div id="ui"></div><script {_asset("swagger-ui-bundle.js")}></script>
<script {_asset("swagger-ui-standalone-preset.js")}></script>
<script>SwaggerUIBundle({{dom_id: "#ui", urls: URLS, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
layout: "StandaloneLayout", persistAuthorization: false, validatorUrl: null}});</script></body></html>"""


def routes(dialects: list[Dialect]) -> list:
    merged = document(dialects, "Mediagraph REST compatibility",
                      "Every documented route Mediagraph serves, in the five dialects, on one GraphQL schema.")
    per_dialect = {d.name: document([d], d.title, d.description) for d in dialects}
    urls = [{"url": "/openapi.json", "name": "All dialects"}] + [
        {"url": f"/openapi/{name}.json", "name": per_dialect[name]["info"]["title"]} for name in per_dialect]
    page = SWAGGER.replace("URLS", msgspec.json.encode(urls).decode())

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
    def swagger() -> str:
        return page

    return [merged_document, dialect_document, swagger]

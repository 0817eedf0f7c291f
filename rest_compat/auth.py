"""Where a request's credential is: `Authorization: Bearer <key or JWT>` or `X-Api-Key`."""
from __future__ import annotations


def credential_from_headers(headers) -> str | None:
    auth = headers.get("authorization") or ""
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return (headers.get("x-api-key") or "").strip() or None


def credential_from_params(params: dict | None) -> str | None:
    """graphql-transport-ws connection_init payloads: the same two headers, any case, or `apiKey`."""
    params = {str(k).lower(): v for k, v in (params or {}).items() if isinstance(v, str)}
    auth = params.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return params.get("x-api-key") or params.get("apikey") or params.get("api_key") or auth or None


"""OAuth2 client-credentials token endpoint (RFC 6749 §4.4): an API key buys a short-lived JWT."""
from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import parse_qs

from litestar import Request, Response, post

from rest_compat.gate import address_of


def _oauth_error(status: int, error: str, description: str) -> Response:
    headers = {"WWW-Authenticate": 'Basic realm="mediagraph"'} if status == 401 else None
    return Response({"error": error, "error_description": description}, status_code=status, headers=headers)


async def _params(request: Request) -> dict:
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            return {}
        return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return {k: v[0] for k, v in parse_qs(raw.decode(errors="replace")).items()}


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password


@post("/oauth/token", status_code=200, include_in_schema=False)
async def token(request: Request) -> Response:
    gate, address = request.app.state.gate, address_of(request.scope)
    refused = await gate.token_request(address)
    if refused:
        return Response({"error": "slow_down", "error_description": refused.message}, status_code=429,
                        headers=refused.headers)
    params = await _params(request)
    if params.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "only grant_type=client_credentials is supported")
    client_id, client_secret = _basic(request) or (params.get("client_id", ""), params.get("client_secret", ""))
    if not client_id or not client_secret:
        return _oauth_error(400, "invalid_request", "client_id and client_secret are required")
    state = request.app.state.mediagraph
    access = await state.issue_token(client_id, client_secret)
    if access is None:
        await gate.failed(address)
        return _oauth_error(401, "invalid_client", "unknown client or wrong secret")
    ttl_s = state.settings.token_ttl_s
    return Response({"access_token": access, "token_type": "Bearer", "expires_in": ttl_s},
                    headers={"Cache-Control": "no-store"})

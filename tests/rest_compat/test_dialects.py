"""AI Gateway, editor, MediaPitch and MetaVision over HTTP: auth, OAuth/OIDC, shapes, rate limits."""
from __future__ import annotations

import asyncio
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.tenancy import service as tenancy
from rest_compat import metrics
from tests.factories import queued_jobs
from tests.rest_compat.helpers import bearer


async def make_jobs(server, key: str, kind: str, count: int = 1, label: str | None = None) -> list[str]:
    return [str(j) for j in await queued_jobs(server, key, kind, count, label=label)]


# ---------------------------------------------------------------- AI Gateway
async def test_providers_in_the_gateway_shape(client, tenant):
    body = (await client.get("/v1/providers", headers=bearer(tenant.key))).json()
    local = next(p for p in body["data"] if p["id"] == "local")
    assert local["type"] == "provider" and local["attributes"]["name"] == "Local (offline)"
    # media is not a resource the document names: it is listed under the resource's meta.extensions
    assert local["meta"]["extensions"]["resources"]["media"] == {"features": ["probe", "thumbnail", "waveform"]}
    denied = await client.get("/v1/providers")
    assert denied.status_code == 401 and denied.json()["error"]["code"] == "UNAUTHENTICATED"


async def test_oauth_client_credentials_issue_a_bearer_jwt(client, tenant):
    client_id = tenant.key[:10]
    issued = await client.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                     "client_secret": tenant.key})
    assert issued.status_code == 200, issued.text
    token = issued.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 900 and token["access_token"].count(".") == 2
    providers = await client.get("/v1/providers", headers=bearer(token["access_token"]))
    assert providers.status_code == 200
    me = (await client.get("/api/me", headers=bearer(token["access_token"]))).json()
    assert me["name"] == tenant.name
    as_json = await client.post("/oauth/token", json={"grant_type": "client_credentials", "client_id": client_id,
                                                      "client_secret": tenant.key})
    assert as_json.status_code == 200
    basic = await client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, tenant.key))
    assert basic.status_code == 200


async def test_oauth_refuses_bad_clients_and_forged_tokens(client, server, tenant):
    wrong = await client.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": tenant.key[:10],
                                                    "client_secret": tenant.key + "x"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    grant = await client.post("/oauth/token", data={"grant_type": "password", "client_id": "a", "client_secret": "b"})
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    forged = jwt.encode({"sub": str(uuid.uuid4()), "kid": str(uuid.uuid4()), "aud": "mediagraph",
                         "iss": server.settings.public_base_url, "exp": 9999999999}, "not-our-secret-but-long-enough-for-hs256-0123", algorithm="HS256")
    assert (await client.get("/v1/providers", headers=bearer(forged))).status_code == 401


async def test_external_oidc_tokens_are_accepted_for_known_tenants(client, tenant, idp):
    good = await client.get("/api/me", headers=bearer(idp.token(tenant.name)))
    assert good.status_code == 200 and good.json()["name"] == tenant.name
    assert (await client.get("/api/me", headers=bearer(idp.token("no-such-tenant")))).status_code == 401
    assert (await client.get("/api/me", headers=bearer(idp.token(tenant.name, audience="other")))).status_code == 401
    assert (await client.get("/api/me", headers=bearer(idp.token(tenant.name, ttl=-60)))).status_code == 401
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert (await client.get("/api/me", headers=bearer(idp.token(tenant.name, key=stranger)))).status_code == 401


# ---------------------------------------------------------------- editor
async def test_editor_health_is_open_and_me_needs_a_key(client, tenant):
    health = await client.get("/api/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert (await client.get("/api/me")).json() == {"detail": "a valid API key is required", "code": "UNAUTHENTICATED"}
    me = (await client.get("/api/me", headers={"X-Api-Key": tenant.key})).json()
    assert me["name"] == tenant.name and me["is_admin"] is False and uuid.UUID(me["id"])


# ---------------------------------------------------------------- MediaPitch
async def test_mediapitch_tasks_list_filters_and_pages(client, server, tenant):
    await make_jobs(server, tenant.key, "submission", 3, label="Transcribe&Translate")
    await make_jobs(server, tenant.key, "submission", 1, label="Summarize")
    await make_jobs(server, tenant.key, "probe", 1)  # not a task
    listed = (await client.get("/api/v1/tasks?per_page=2", headers=bearer(tenant.key))).json()
    assert listed["meta"] == {"current_page": 1, "per_page": 2, "total": 4} and len(listed["data"]) == 2
    assert set(listed["data"][0]) == {"id", "type", "status", "created_at"}
    assert all(t["status"] == "pending" for t in listed["data"])
    typed = (await client.get("/api/v1/tasks?type=Summarize", headers=bearer(tenant.key))).json()
    assert [t["type"] for t in typed["data"]] == ["Summarize"]
    done = (await client.get("/api/v1/tasks?status=done", headers=bearer(tenant.key))).json()
    assert done["meta"]["total"] == 0


async def test_mediapitch_error_shapes(client, tenant):
    unauthenticated = await client.get("/api/v1/tasks")
    assert unauthenticated.status_code == 401 and unauthenticated.json() == {"message": "a valid API key is required"}
    invalid = await client.get("/api/v1/tasks?per_page=1000", headers=bearer(tenant.key))
    assert invalid.status_code == 422
    assert invalid.json() == {"message": "per_page must be between 1 and 100 - at `$.per_page`",
                              "errors": {"per_page": ["per_page must be between 1 and 100 - at `$.per_page`"]}}
    bad_status = await client.get("/api/v1/tasks?status=weird", headers=bearer(tenant.key))
    assert bad_status.status_code == 422 and list(bad_status.json()["errors"]) == ["status"]


async def test_mediapitch_limits_each_user_to_60_a_minute_and_logs_every_request(client, server):
    from tests.conftest import new_tenant

    user, other = await new_tenant(server), await new_tenant(server)
    before = sum(n for (dialect, *_), n in metrics.HANDLED.items() if dialect == "mediapitch")
    statuses = [(await client.get("/api/v1/tasks", headers=bearer(user.key))).status_code for _ in range(60)]
    assert statuses == [200] * 60
    limited = await client.get("/api/v1/tasks", headers=bearer(user.key))
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert limited.json() == {"message": "rate limit exceeded; retry after the time in Retry-After"}
    assert (await client.get("/api/v1/tasks", headers=bearer(other.key))).status_code == 200
    await asyncio.sleep(0.1)
    after = sum(n for (dialect, *_), n in metrics.HANDLED.items() if dialect == "mediapitch")
    assert after - before == 62


# ---------------------------------------------------------------- MetaVision
async def test_metavision_poll_cancel_and_error_table(client, server, tenant, other_tenant):
    assert (await client.get("/api/v1/jobs/x")).json() == {"error": "a valid API key is required", "code": "invalid_api_key"}
    missing = await client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=bearer(tenant.key))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    [analysis] = await make_jobs(server, tenant.key, "media_analysis")
    [probe] = await make_jobs(server, tenant.key, "probe")
    polled = (await client.get(f"/api/v1/jobs/{analysis}", headers=bearer(tenant.key))).json()
    assert polled["job_id"] == analysis and polled["status"] == "queued" and polled["created_at"]
    assert (await client.get(f"/api/v1/jobs/{probe}", headers=bearer(tenant.key))).status_code == 404
    assert (await client.get(f"/api/v1/jobs/{analysis}", headers=bearer(other_tenant.key))).status_code == 404
    cancelled = await client.post(f"/api/v1/account/requests/{analysis}/cancel", headers=bearer(tenant.key))
    assert cancelled.json() == {"success": True, "job_id": analysis, "status": "cancelled"}
    again = await client.post(f"/api/v1/account/requests/{analysis}/cancel", headers=bearer(tenant.key))
    assert again.status_code == 400 and again.json()["code"] == "invalid_request"
    assert (await client.get(f"/api/v1/jobs/{analysis}", headers=bearer(tenant.key))).json()["status"] == "cancelled"


async def test_metavision_rate_limit_answers_429_rate_limited(client, server):
    from tests.conftest import new_tenant

    user = await new_tenant(server)
    for _ in range(60):
        assert (await client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=bearer(user.key))).status_code == 404
    limited = await client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=bearer(user.key))
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) > 0


async def test_a_disabled_key_answers_403_in_each_dialect(client, server):
    from tests.conftest import new_tenant

    user = await new_tenant(server)
    engine = make_engine(server.settings.database_url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            await tenancy.set_key_revoked(uow.session, user.key)
    finally:
        await engine.dispose()
    metavision = await client.get(f"/api/v1/jobs/{uuid.uuid4()}", headers=bearer(user.key))
    assert metavision.status_code == 403
    assert metavision.json() == {"error": "this API key is disabled", "code": "account_disabled"}
    mediapitch = await client.get("/api/v1/tasks", headers=bearer(user.key))
    assert mediapitch.status_code == 403 and mediapitch.json() == {"message": "this API key is disabled"}
    copilot = await client.get("/v1/assets", headers=bearer(user.key))
    assert copilot.status_code == 403 and copilot.json()["error"]["code"] == "FORBIDDEN"
    graphql = await client.post("/graphql", json={"query": "{ me { name } }"}, headers=bearer(user.key))
    assert graphql.status_code == 403
    token = await client.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": user.key[:10],
                                                    "client_secret": user.key})
    assert token.status_code == 401

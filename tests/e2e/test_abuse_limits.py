"""Abuse limits: per-tenant and per-address rate limits in every dialect and on /graphql, shared across processes;
GraphQL cost, list and clientMeta caps; subscription caps; a revoked key's websocket closed within seconds."""
from __future__ import annotations

import asyncio
import json
import time
import uuid

import httpx
import pytest
import websockets

from tests.conftest import BACKENDS, _create_database, _settings_env, drop_backend, new_tenant
from tests.harness import Server, ThreadedServer, free_port, gql
from tests.rest_compat.helpers import bearer

RATE = 8  # requests a minute per tenant on /graphql and on dialects without a documented figure
FAILURES = 3
TOKENS = 3
LIMITS = {"RATE_LIMIT_PER_MINUTE": str(RATE), "AUTH_FAILURES_PER_MINUTE": str(FAILURES),
          "TOKEN_REQUESTS_PER_MINUTE": str(TOKENS), "SUBSCRIPTIONS_PER_CONNECTION": "2",
          "SUBSCRIPTIONS_PER_TENANT": "3", "KEY_RECHECK_S": "1"}
ME = "{ me { name } }"
EVENTS = "subscription { jobEvents { id } }"


@pytest.fixture(scope="module", params=BACKENDS)
async def limited(request, tmp_path_factory, idp, providers):
    """Servers with small limits. In production, two API processes' worth of apps on one database and Redis."""
    from app import create_app, migrate
    from domain.settings import Settings

    backend = request.param
    data_dir = tmp_path_factory.mktemp(f"limited-{backend}")
    namespace = f"mgtest-{uuid.uuid4().hex[:8]}"
    db_name = f"mg_test_{uuid.uuid4().hex[:10]}"
    database_url = await _create_database(db_name) if backend == "production" else None
    servers, threads = [], []
    for _ in range(2 if backend == "production" else 1):
        port = free_port()
        env = {**_settings_env(backend, data_dir, port, database_url, namespace, idp, providers), **LIMITS}
        settings = Settings.from_env(env)
        if not servers:
            await asyncio.to_thread(migrate, settings)
        app = create_app(settings)
        threads.append(ThreadedServer(app, port))
        threads[-1].start()
        servers.append(Server(backend, f"http://127.0.0.1:{port}", app, app.state.runtime.settings, env))
    try:
        yield servers
    finally:
        for thread in threads:
            thread.stop()
        if backend == "production":
            await drop_backend(db_name, namespace)


@pytest.fixture
async def lclient(limited):
    async with httpx.AsyncClient(base_url=limited[0].base_url, timeout=60) as http:
        yield http


def address() -> dict:
    """A client address of its own (uvicorn trusts X-Forwarded-For from 127.0.0.1, like a local proxy)."""
    octets = uuid.uuid4().bytes
    return {"X-Forwarded-For": f"10.{octets[0]}.{octets[1]}.{octets[2] % 250 + 1}"}


async def post_graphql(client, key, query=ME, headers=None, variables=None):
    return await client.post("/graphql", json={"query": query, "variables": variables or {}},
                             headers={**bearer(key), **(headers or {})})


# ---------------------------------------------------------------- per-tenant budgets
async def test_graphql_answers_429_past_the_tenants_budget_and_other_tenants_go_on(lclient, limited):
    server = limited[0]
    tenant, other = await new_tenant(server), await new_tenant(server)
    statuses = [(await post_graphql(lclient, tenant.key)).status_code for _ in range(RATE)]
    assert statuses == [200] * RATE
    limited_ = await post_graphql(lclient, tenant.key)
    assert limited_.status_code == 429 and int(limited_.headers["retry-after"]) > 0
    assert limited_.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert limited_.json()["errors"][0]["message"]
    # A second key of the same tenant spends from the same budget.
    again = await new_tenant(server, tenant.name)
    assert (await post_graphql(lclient, again.key)).status_code == 429
    assert (await post_graphql(lclient, other.key)).json()["data"]["me"]["name"] == other.name


DIALECT_CALLS = [
    # dialect, path, documented limit, how its 429 reads
    ("ai_gateway", "/v1/providers", RATE, lambda body: body["error"]["code"] == "RATE_LIMITED"),
    ("mediacopilot", "/v1/assets", RATE, lambda body: body["error"]["code"] == "RATE_LIMITED"),
    ("editor", "/api/me", RATE, lambda body: body["code"] == "RATE_LIMITED" and body["detail"]),
    ("mediapitch", "/api/v1/tasks", 60,
     lambda body: body == {"message": "rate limit exceeded; retry after the time in Retry-After"}),
    ("metavision", "/api/v1/account/prices", 60, lambda body: body["code"] == "rate_limited" and body["error"]),
]


@pytest.mark.parametrize("dialect,path,limit,shaped", DIALECT_CALLS, ids=[c[0] for c in DIALECT_CALLS])
async def test_each_dialect_answers_429_in_its_own_shape(lclient, limited, dialect, path, limit, shaped):
    server = limited[0]
    tenant, other = await new_tenant(server), await new_tenant(server)
    for _ in range(limit):
        assert (await lclient.get(path, headers=bearer(tenant.key))).status_code != 429
    refused = await lclient.get(path, headers=bearer(tenant.key))
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert shaped(refused.json()), refused.json()
    # The budget is the tenant's, whichever of its keys asks; another tenant's is its own.
    second_key = await new_tenant(server, tenant.name)
    assert (await lclient.get(path, headers=bearer(second_key.key))).status_code == 429
    assert (await lclient.get(path, headers=bearer(other.key))).status_code != 429
    # Budgets are per surface: the same tenant still reaches /graphql.
    assert (await post_graphql(lclient, tenant.key)).status_code == 200


# ---------------------------------------------------------------- per-address budgets
async def test_failed_authentications_block_the_address_before_its_keys_are_checked(lclient, limited):
    server = limited[0]
    tenant = await new_tenant(server)
    here = address()
    for n in range(FAILURES):
        wrong = await lclient.get("/api/me", headers={**bearer(f"mg_wrong_{n}"), **here})
        assert wrong.status_code == 401
    blocked = await lclient.get("/api/me", headers={**bearer("mg_wrong_again"), **here})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert blocked.json()["code"] == "RATE_LIMITED"
    # Even a valid key is refused from that address, in every surface, before it is looked up.
    assert (await lclient.get("/api/me", headers={**bearer(tenant.key), **here})).status_code == 429
    graphql = await post_graphql(lclient, tenant.key, headers=here)
    assert graphql.status_code == 429 and graphql.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    ws_headers = {"X-Forwarded-For": here["X-Forwarded-For"]}
    async with websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"],
                                  additional_headers=ws_headers) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {tenant.key}"}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd.code == 4403
    # Another address is not affected.
    assert (await lclient.get("/api/me", headers={**bearer(tenant.key), **address()})).status_code == 200


async def test_failed_graphql_and_websocket_authentications_count_too(lclient, limited):
    server = limited[0]
    here = address()
    assert (await post_graphql(lclient, "mg_wrong_1", headers=here)).status_code == 401
    async with websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"],
                                  additional_headers={"X-Forwarded-For": here["X-Forwarded-For"]}) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer mg_wrong_2"}}))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 10)
    assert (await lclient.get("/v1/providers", headers={**bearer("mg_wrong_3"), **here})).status_code == 401
    refused = await lclient.get("/v1/providers", headers={**bearer("mg_wrong_4"), **here})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "RATE_LIMITED"


async def test_oauth_token_requests_are_limited_per_address(lclient, limited):
    server = limited[0]
    tenant = await new_tenant(server)
    form = {"grant_type": "client_credentials", "client_id": tenant.key[:10], "client_secret": tenant.key}
    here = address()
    for _ in range(TOKENS):
        assert (await lclient.post("/oauth/token", data=form, headers=here)).status_code == 200
    refused = await lclient.post("/oauth/token", data=form, headers=here)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert refused.json()["error"] == "slow_down"
    assert (await lclient.post("/oauth/token", data=form, headers=address())).status_code == 200


async def test_wrong_client_secrets_count_as_failed_authentications(lclient, limited):
    server = limited[0]
    tenant = await new_tenant(server)
    here = address()
    wrong = {"grant_type": "client_credentials", "client_id": tenant.key[:10], "client_secret": tenant.key + "x"}
    for _ in range(FAILURES):
        assert (await lclient.post("/oauth/token", data=wrong, headers=here)).status_code == 401
    # The address is now blocked for keys too (the token budget of the other address is untouched).
    blocked = await lclient.get("/api/me", headers={**bearer(tenant.key), **here})
    assert blocked.status_code == 429


if "production" in BACKENDS:  # the embedded backend is one process with in-memory budgets
    @pytest.mark.parametrize("limited", ["production"], indirect=True)
    async def test_budgets_are_shared_by_every_api_process(limited):
        """Two apps on one Redis: what one spends, the other sees (counted atomically in Redis)."""
        first, second = limited
        tenant = await new_tenant(first)
        async with httpx.AsyncClient(timeout=60) as http:
            answers = await asyncio.gather(*[
                http.post((first if n % 2 else second).base_url + "/graphql", json={"query": ME},
                          headers=bearer(tenant.key)) for n in range(RATE + 4)])
            assert sorted(r.status_code for r in answers) == [200] * RATE + [429] * 4
            here = address()
            for n in range(FAILURES):
                target = first if n % 2 else second
                assert (await http.get(target.base_url + "/api/me",
                                       headers={**bearer(f"mg_wrong_{n}"), **here})).status_code == 401
            for target in (first, second):
                assert (await http.get(target.base_url + "/api/me",
                                       headers={**bearer(tenant.key), **here})).status_code == 429


# ---------------------------------------------------------------- GraphQL cost, lists, clientMeta
NESTED = "{ " + " ".join(
    f"a{i}: assets(first: 100) {{ edges {{ node {{ jobs(first: 100) {{ edges {{ node {{ id }} }} }} }} }} }}"
    for i in range(3)) + " }"


async def test_costly_queries_are_refused_before_they_run_naming_the_field(client, tenant):
    body = await gql(client, tenant.key, NESTED, expect_errors=True)
    error = body["errors"][0]
    assert body.get("data") is None
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"][-3:] == ["jobs", "edges", "node"] and "objects" in error["message"]
    # One level of the same query is fine.
    single = NESTED.split(" a1:")[0] + " }"
    assert (await gql(client, tenant.key, single))["data"]["a0"]["edges"] == []


async def test_list_arguments_are_capped_per_call(client, tenant):
    query = "mutation($ids: [ID!]!) { downloadClips(input: {assetId: \"x\", clipIds: $ids}) { errors { code } } }"
    body = await gql(client, tenant.key, query, {"ids": [str(uuid.uuid4()) for _ in range(1001)]},
                     expect_errors=True)
    assert body["errors"][0]["extensions"] == {"code": "VALIDATION_FAILED", "field": ["input", "clipIds"]}
    assert "1001" in body["errors"][0]["message"] and body.get("data") is None


async def test_client_meta_over_16_kb_is_refused_and_nothing_is_stored(client, tenant):
    jobs = "{ jobs { totalCount } }"
    before = (await gql(client, tenant.key, jobs))["data"]["jobs"]["totalCount"]
    big = {"note": "x" * (16 * 1024)}
    query = ("mutation($meta: JSON) { translateText(input: {content: \"hola\", targetLanguage: \"en\", "
             "clientMeta: $meta}) { errors { code } } }")
    body = await gql(client, tenant.key, query, {"meta": big}, expect_errors=True)
    assert body["errors"][0]["extensions"] == {"code": "VALIDATION_FAILED", "field": ["input", "clientMeta"]}
    # The same limit in a REST dialect, in its shape.
    document = {"data": {"type": "translation-job", "attributes": {
        "input": {"type": "text", "content": "hola", "target_language": "en"}}, "meta": {"client": big}}}
    refused = await client.post("/v1/translations", json=document, headers=bearer(tenant.key))
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "VALIDATION_FAILED"
    assert (await gql(client, tenant.key, jobs))["data"]["jobs"]["totalCount"] == before


# ---------------------------------------------------------------- subscriptions
class Socket:
    """One graphql-transport-ws connection on which several subscriptions are started."""

    def __init__(self, server: Server, key: str):
        self.server, self.key, self.ws = server, key, None

    async def __aenter__(self) -> "Socket":
        self.ws = await websockets.connect(self.server.ws_url, subprotocols=["graphql-transport-ws"])
        await self.ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {self.key}"}}))
        assert json.loads(await asyncio.wait_for(self.ws.recv(), 10))["type"] == "connection_ack"
        return self

    async def subscribe(self, query: str = EVENTS) -> str:
        op = uuid.uuid4().hex
        await self.ws.send(json.dumps({"id": op, "type": "subscribe", "payload": {"query": query}}))
        return op

    async def refusal(self, op: str, timeout: float = 10) -> dict | None:
        """The error that ended `op`, or None when it is still running after `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = json.loads(await asyncio.wait_for(self.ws.recv(), deadline - time.monotonic()))
            except asyncio.TimeoutError:
                return None
            if message.get("id") != op:
                continue
            if message["type"] == "error":
                return message["payload"][0]
            if message["type"] == "next" and message["payload"].get("errors"):
                return message["payload"]["errors"][0]
        return None

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()


async def test_subscriptions_are_capped_per_connection_and_per_tenant(limited):
    server = limited[-1]  # in production, the second process: leases are counted in Redis for both
    tenant = await new_tenant(server)
    async with Socket(server, tenant.key) as one, Socket(limited[0], tenant.key) as two:
        first, second = await one.subscribe(), await one.subscribe()
        third = await one.subscribe()
        refused = await one.refusal(third)
        assert refused["extensions"]["code"] == "SUBSCRIPTION_LIMIT" and "connection" in refused["message"]
        assert await one.refusal(first, timeout=0.5) is None and await one.refusal(second, timeout=0.5) is None
        fourth = await two.subscribe()
        assert await two.refusal(fourth, timeout=1) is None
        fifth = await two.subscribe()
        refused = await two.refusal(fifth)
        assert refused["extensions"]["code"] == "SUBSCRIPTION_LIMIT" and "account" in refused["message"]
    other = await new_tenant(server)
    async with Socket(server, other.key) as theirs:
        assert await theirs.refusal(await theirs.subscribe(), timeout=1) is None


async def test_subscribing_past_the_rate_budget_is_an_error_for_that_operation(limited):
    server = limited[0]
    tenant = await new_tenant(server)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
        for _ in range(RATE):
            assert (await post_graphql(http, tenant.key)).status_code == 200
    async with Socket(server, tenant.key) as socket:
        refused = await socket.refusal(await socket.subscribe())
    assert refused["extensions"]["code"] == "RATE_LIMITED"


REVOKE = "mutation($prefix: String) { revokeApiKey(input: {prefix: $prefix}) { revokedPrefix errors { code field } } }"


async def test_a_revoked_keys_websocket_is_closed_within_seconds(limited):
    server = limited[0]
    tenant = await new_tenant(server)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http, Socket(server, tenant.key) as socket:
        op = await socket.subscribe()
        assert await socket.refusal(op, timeout=0.5) is None
        revoked = (await post_graphql(http, tenant.key, REVOKE))
        assert revoked.json()["data"]["revokeApiKey"] == {"revokedPrefix": tenant.key[:10], "errors": []}
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:  # the deadline is the only bound: no message may arrive for the operation meanwhile
                message = json.loads(await asyncio.wait_for(socket.ws.recv(), 20))
                assert message["type"] not in {"next"}, message
        assert closed.value.rcvd.code == 4403
        assert (await post_graphql(http, tenant.key)).status_code == 403


async def test_subscribing_with_a_revoked_key_is_refused(server, client):
    tenant = await new_tenant(server)
    async with Socket(server, tenant.key) as socket:
        assert (await gql(client, tenant.key, REVOKE))["data"]["revokeApiKey"]["errors"] == []
        op = await socket.subscribe()
        try:
            refused = await socket.refusal(op)
        except websockets.ConnectionClosed as closed:  # the periodic re-check came first
            assert closed.rcvd.code == 4403
        else:
            assert refused["extensions"]["code"] == "FORBIDDEN"


async def test_only_an_admin_key_revokes_another_key_of_its_account(server, client):
    tenant = await new_tenant(server)
    second = await new_tenant(server, tenant.name)
    denied = await gql(client, tenant.key, REVOKE, {"prefix": second.key[:10]})
    assert denied["data"]["revokeApiKey"]["errors"] == [{"code": "FORBIDDEN", "field": ["input", "prefix"]}]
    other = await new_tenant(server)
    missing = await gql(client, "mg_bootstrap_test_key", REVOKE, {"prefix": other.key[:10]})
    assert missing["data"]["revokeApiKey"]["errors"] == [{"code": "NOT_FOUND", "field": ["input", "prefix"]}]
    assert (await gql(client, other.key, ME))["data"]["me"]["name"] == other.name
    assert (await gql(client, second.key, REVOKE))["data"]["revokeApiKey"]["revokedPrefix"] == second.key[:10]
    assert (await client.post("/graphql", json={"query": ME}, headers=bearer(second.key))).status_code == 403
    assert (await gql(client, tenant.key, ME))["data"]["me"]["name"] == tenant.name

"""Tenant isolation: another tenant's assets and jobs are NOT_FOUND everywhere, subscriptions included."""
from __future__ import annotations

import asyncio
import json

import pytest
import websockets

from tests.flows import ASSET, FINISH, START, create_asset, probe_job, ready_asset
from tests.harness import Subscription, gql


async def test_tenant_b_cannot_read_list_change_delete_or_subscribe_to_tenant_a(server, client, tenant, other_tenant, media):
    a_asset = await ready_asset(client, tenant.key, media["wav"])
    a_job = probe_job(a_asset)["id"]
    b = other_tenant.key

    read = await gql(client, b, ASSET, {"id": a_asset["id"]}, expect_errors=True)
    assert read["data"]["asset"] is None and read["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    job = await gql(client, b, "query($id: ID!) { job(id: $id) { id } }", {"id": a_job}, expect_errors=True)
    assert job["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    listed = await gql(client, b, "{ assets { totalCount edges { node { id } } } jobs { totalCount } }")
    assert listed["data"]["assets"]["totalCount"] == 0 and listed["data"]["jobs"]["totalCount"] == 0
    ext = await gql(client, b, 'query { assetByExternalId(externalId: "x") { id } }', expect_errors=True)
    assert ext["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    change = (await gql(client, b, START, {"id": a_asset["id"], "parts": 1}))["data"]["startUpload"]
    assert change["errors"][0]["code"] == "NOT_FOUND"
    finish = (await gql(client, b, FINISH, {"id": a_asset["id"], "etags": ["x"]}))["data"]["finishUpload"]
    assert finish["errors"][0]["code"] == "NOT_FOUND"
    cancel = await gql(client, b, "mutation($id: ID!) { cancelJob(input: {id: $id}) { errors { code } } }", {"id": a_job})
    assert cancel["data"]["cancelJob"]["errors"][0]["code"] == "NOT_FOUND"
    delete = await gql(client, b, "mutation($id: ID!) { deleteAsset(input: {id: $id}) { deletedId errors { code } } }",
                       {"id": a_asset["id"]})
    assert delete["data"]["deleteAsset"] == {"deletedId": None, "errors": [{"code": "NOT_FOUND"}]}

    async with Subscription(server, b, "subscription($id: ID!) { jobUpdated(id: $id) { id } }", {"id": a_job}) as sub:
        message = await sub.next()
    assert message["type"] == "next" and message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # B's tenant-wide stream hears nothing of A's new job, while A's own stream does.
    async with Subscription(server, b, "subscription { jobEvents { id } }") as b_sub, \
            Subscription(server, tenant.key, "subscription { jobEvents { id status } }") as a_sub:
        await ready_asset(client, tenant.key, media["wav"])
        assert (await a_sub.next())["type"] == "next"
        with pytest.raises(asyncio.TimeoutError):
            await b_sub.next(timeout=1.0)

    still = (await gql(client, tenant.key, ASSET, {"id": a_asset["id"]}))["data"]["asset"]
    assert still["status"] == "READY"


async def test_ids_that_are_not_uuids_are_simply_not_found(client, tenant):
    body = await gql(client, tenant.key, 'query { asset(id: "nope") { id } }', expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_graphql_needs_a_key_over_http(client):
    response = await client.post("/graphql", json={"query": "{ me { name } }"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"
    wrong = await client.post("/graphql", json={"query": "{ me { name } }"}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


async def test_x_api_key_header_is_accepted(client, tenant):
    response = await client.post("/graphql", json={"query": "{ me { name isAdmin } }"}, headers={"X-Api-Key": tenant.key})
    assert response.json()["data"]["me"] == {"name": tenant.name, "isAdmin": False}


async def test_graphiql_page_loads_without_a_key(client):
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


async def test_health_is_open(client):
    response = await client.get("/api/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


async def test_websocket_without_a_valid_key_is_rejected(server):
    async with websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer wrong"}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd.code == 4403


async def test_legacy_graphql_ws_protocol_is_off(server):
    """A client offering only the legacy protocol is closed with 4406 before it can subscribe."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        async with websockets.connect(server.ws_url, subprotocols=["graphql-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd.code == 4406


async def test_bootstrap_key_owns_a_tenant(client):
    body = await gql(client, "mg_bootstrap_test_key", "{ me { name isAdmin } }")
    assert body["data"]["me"] == {"name": "bootstrap", "isAdmin": True}


async def test_external_id_is_unique_per_tenant(client, tenant, other_tenant):
    await create_asset(client, tenant.key, "a.mp4", externalId="shared")
    again = await gql(client, tenant.key, """mutation { createAsset(input: {filename: "b.mp4", externalId: "shared"}) {
        asset { id } errors { field code message } } }""")
    assert again["data"]["createAsset"]["errors"] == [
        {"field": ["input", "externalId"], "code": "CONFLICT", "message": "an asset with externalId 'shared' exists"}]
    other = await create_asset(client, other_tenant.key, "c.mp4", externalId="shared")
    found = await gql(client, other_tenant.key, 'query { assetByExternalId(externalId: "shared") { id filename } }')
    assert found["data"]["assetByExternalId"] == {"id": other["id"], "filename": "c.mp4"}

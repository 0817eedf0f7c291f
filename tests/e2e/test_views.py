"""Filter views over MediaCopilot REST and GraphQL: CRUD, conditions checked one by one (a bad one is named),
and a view applied to the asset list with `GET /v1/assets?view_id=` and `assets(view:)`."""
from __future__ import annotations

from tests.harness import gql
from tests.rest_compat.helpers import bearer


async def _asset(client, key, name, **create) -> dict:
    created = await client.post("/v1/assets", json={"filename": name, **create}, headers=bearer(key))
    assert created.status_code == 201, created.text
    return created.json()


async def _listed(client, key, **params) -> set[str]:
    got = await client.get("/v1/assets", params=params, headers=bearer(key))
    assert got.status_code == 200, got.text
    return {a["id"] for a in got.json()["data"]}


async def test_a_view_filters_the_asset_list(client, tenant, other_tenant):
    key = tenant.key
    collection = (await client.post("/v1/collections", json={"name": "Desk"}, headers=bearer(key))).json()
    match = await _asset(client, key, "harbour-report.mp4", collection_id=collection["id"])
    other_name = await _asset(client, key, "weather.mp4", collection_id=collection["id"])
    outside = await _asset(client, key, "harbour-outside.mp4")
    made = await client.post("/v1/views", headers=bearer(key), json={"name": "Harbour desk", "filter_params": [
        {"field": "collection_id", "operator": "eq", "value": collection["id"]},
        {"field": "text", "operator": "contains", "value": "harbour"},
        {"field": "created_at", "operator": "gte", "value": "2020-01-01"}]})
    assert made.status_code == 201, made.text
    view = made.json()
    assert view["filter_params"][0] == {"field": "collection_id", "operator": "eq", "value": collection["id"]}
    assert view["filter_params"][2]["value"] == "2020-01-01T00:00:00Z"
    assert await _listed(client, key, view_id=view["id"]) == {match["id"]}
    # The request's own parameters narrow the view further.
    assert await _listed(client, key, view_id=view["id"], sentiment="positive") == set()
    # Changing the conditions changes what the view shows.
    patched = await client.patch(f"/v1/views/{view['id']}", headers=bearer(key), json={"filter_params": [
        {"field": "text", "operator": "contains", "value": "harbour"}]})
    assert patched.status_code == 200 and patched.json()["name"] == "Harbour desk"
    assert await _listed(client, key, view_id=view["id"]) == {match["id"], outside["id"]}
    future = await client.post("/v1/views", headers=bearer(key), json={"name": "Future", "filter_params": [
        {"field": "created_at", "operator": "gte", "value": "2999-01-01T00:00:00Z"}]})
    assert await _listed(client, key, view_id=future.json()["id"]) == set()
    assert other_name["id"] not in await _listed(client, key, view_id=view["id"])
    # Another tenant's view is not found, and not listed.
    assert (await client.get("/v1/assets", params={"view_id": view["id"]},
                             headers=bearer(other_tenant.key))).status_code == 404
    assert (await client.get(f"/v1/views/{view['id']}", headers=bearer(other_tenant.key))).status_code == 404
    assert (await client.get("/v1/views", headers=bearer(key))).json()["total"] == 2
    assert (await client.get("/v1/views", headers=bearer(other_tenant.key))).json()["total"] == 0
    found = await gql(client, key, """query($v: ID!) { assets(view: $v) { totalCount edges { node { id } } }
        node(id: $v) { ... on View { name filterParams { field operator value } } } }""", {"v": view["id"]})
    assert found["data"]["assets"]["totalCount"] == 2
    assert found["data"]["node"]["filterParams"] == [{"field": "text", "operator": "contains", "value": "harbour"}]
    gone = await client.delete(f"/v1/views/{view['id']}", headers=bearer(key))
    assert gone.json() == {"id": view["id"], "deleted": True}
    assert (await client.get("/v1/assets", params={"view_id": view["id"]}, headers=bearer(key))).status_code == 404


async def test_invalid_conditions_are_named(client, tenant):
    key = tenant.key
    empty = await client.post("/v1/views", json={"name": "x", "filter_params": []}, headers=bearer(key))
    assert empty.status_code == 422
    cases = [
        ({"field": "mood", "value": "happy"}, "(mood)"),
        ({"field": "sentiment", "value": "ecstatic"}, "(sentiment)"),
        ({"field": "created_at", "operator": "eq", "value": "2024-01-01"}, "(created_at)"),
        ({"field": "created_at", "operator": "gte", "value": "yesterday"}, "(created_at)"),
        ({"field": "collection_id", "value": "not-an-id"}, "(collection_id)"),
        ({"field": "status", "value": "sleeping"}, "(status)"),
    ]
    for bad, named in cases:
        answer = await client.post("/v1/views", headers=bearer(key), json={"name": "x", "filter_params": [
            {"field": "language_id", "value": "5f0c7b6e-0000-4000-8000-000000000000"}, bad]})
        assert answer.status_code == 422, (bad, answer.text)
        error = answer.json()["error"]
        assert error["field"] == ["input", "filterParams", "1"] and f"filterParams[1] {named}" in error["message"]
    assert (await client.get("/v1/views", headers=bearer(key))).json()["total"] == 0
    saved = await gql(client, key, """mutation { saveView(input: {name: "y", filterParams: [
        {field: "speakers", operator: "contains", value: ["Ana", "SPEAKER_01"]}, {field: "entities", value: "x"}]}) {
        view { id } errors { field code message } } }""")
    [error] = saved["data"]["saveView"]["errors"]
    assert error["code"] == "VALIDATION_FAILED" and error["field"] == ["input", "filterParams", "1"]
    ok = await gql(client, key, """mutation { saveView(input: {name: "y", filterParams: [
        {field: "speakers", operator: "contains", value: ["Ana", "SPEAKER_01"]}]}) { view { id } errors { code } } }""")
    assert ok["data"]["saveView"]["errors"] == []

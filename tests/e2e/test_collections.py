"""Collections over MediaCopilot REST and GraphQL: CRUD, moving assets in and out (all or nothing, tenant's ids
only), the collection's default template, the asset list's collection filter, and deletion keeping the assets."""
from __future__ import annotations

from tests.harness import gql
from tests.rest_compat.helpers import bearer

GHOST = "5f0c7b6e-0000-4000-8000-000000000000"


async def _asset(client, key, name, **create) -> dict:
    created = await client.post("/v1/assets", json={"filename": name, **create}, headers=bearer(key))
    assert created.status_code == 201, created.text
    return created.json()


async def _listed(client, key, **params) -> set[str]:
    got = await client.get("/v1/assets", params=params, headers=bearer(key))
    assert got.status_code == 200, got.text
    return {a["id"] for a in got.json()["data"]}


async def test_collection_crud_and_default_template(client, tenant, other_tenant):
    key = tenant.key
    template = (await client.post("/v1/templates", json={"name": "Sports"}, headers=bearer(key))).json()
    other = (await client.post("/v1/templates", json={"name": "Other"}, headers=bearer(key))).json()
    made = await client.post("/v1/collections", json={"name": "Match day", "template_id": template["id"]},
                             headers=bearer(key))
    assert made.status_code == 201, made.text
    collection = made.json()
    assert collection["name"] == "Match day" and collection["template_id"] == template["id"]
    # An asset created in the collection gets its template, unless it names one.
    inherits = await _asset(client, key, "a.mp4", collection_id=collection["id"])
    own = await _asset(client, key, "b.mp4", collection_id=collection["id"], template_id=other["id"])
    assert inherits["template_id"] == template["id"] and inherits["collection_id"] == collection["id"]
    assert own["template_id"] == other["id"]
    # Another tenant's collection reads as not found, for them and for asset creation.
    assert (await client.get(f"/v1/collections/{collection['id']}", headers=bearer(other_tenant.key))).status_code == 404
    foreign = await client.post("/v1/assets", json={"filename": "c.mp4", "collection_id": collection["id"]},
                                headers=bearer(other_tenant.key))
    assert foreign.status_code == 404 and foreign.json()["error"]["field"] == ["input", "collectionId"]
    renamed = await client.patch(f"/v1/collections/{collection['id']}", json={"name": "Finals"}, headers=bearer(key))
    assert renamed.status_code == 200 and renamed.json()["name"] == "Finals"
    assert renamed.json()["template_id"] == template["id"]
    cleared = await client.patch(f"/v1/collections/{collection['id']}", json={"template_id": ""}, headers=bearer(key))
    assert cleared.json()["template_id"] is None
    listed = (await client.get("/v1/collections", headers=bearer(key))).json()
    assert listed["total"] == 1 and listed["data"][0]["id"] == collection["id"]
    assert (await client.get("/v1/collections", headers=bearer(other_tenant.key))).json()["total"] == 0
    ghost_template = await client.post("/v1/collections", json={"name": "x", "template_id": GHOST}, headers=bearer(key))
    assert ghost_template.status_code == 404 and ghost_template.json()["error"]["field"] == ["input", "templateId"]
    blank = await client.post("/v1/collections", json={"name": "  "}, headers=bearer(key))
    assert blank.status_code == 422


async def test_assets_move_in_and_out_all_or_nothing(client, tenant, other_tenant):
    key = tenant.key
    collection = (await client.post("/v1/collections", json={"name": "Inbox"}, headers=bearer(key))).json()
    path = f"/v1/collections/{collection['id']}/assets"
    mine = [await _asset(client, key, f"{n}.mp4") for n in ("one", "two", "three")]
    theirs = await _asset(client, other_tenant.key, "theirs.mp4")
    # One foreign id: not found, and none of the tenant's assets moved.
    mixed = await client.post(path, json={"asset_ids": [mine[0]["id"], theirs["id"]]}, headers=bearer(key))
    assert mixed.status_code == 404 and mixed.json()["error"]["field"] == ["input", "assetIds"]
    assert await _listed(client, key, collection_id=collection["id"]) == set()
    added = await client.post(path, json={"asset_ids": f"{mine[0]['id']}, {mine[1]['id']}"}, headers=bearer(key))
    assert added.status_code == 200 and added.json()["id"] == collection["id"]
    assert await _listed(client, key, collection_id=collection["id"]) == {mine[0]["id"], mine[1]["id"]}
    # The other tenant cannot add to it, nor list its assets.
    assert (await client.post(path, json={"asset_ids": [theirs["id"]]},
                              headers=bearer(other_tenant.key))).status_code == 404
    assert await _listed(client, other_tenant.key, collection_id=collection["id"]) == set()
    removed = await client.request("DELETE", path, json={"asset_ids": [mine[0]["id"]]}, headers=bearer(key))
    assert removed.status_code == 200, removed.text
    assert await _listed(client, key, collection_id=collection["id"]) == {mine[1]["id"]}
    assert (await client.post(path, json={"asset_ids": []}, headers=bearer(key))).status_code == 422
    # Deleting the collection keeps its assets, in no collection.
    gone = await client.delete(f"/v1/collections/{collection['id']}", headers=bearer(key))
    assert gone.json() == {"id": collection["id"], "deleted": True}
    kept = await client.get(f"/v1/assets/{mine[1]['id']}", headers=bearer(key))
    assert kept.status_code == 200 and kept.json()["collection_id"] is None
    assert (await client.get(f"/v1/collections/{collection['id']}", headers=bearer(key))).status_code == 404


async def test_collections_over_graphql(client, tenant):
    key = tenant.key
    saved = await gql(client, key, """mutation { saveCollection(input: {name: "Archive"}) {
        collection { id name templateId } errors { code } } }""")
    collection = saved["data"]["saveCollection"]["collection"]
    asset = await _asset(client, key, "clip.mp4")
    moved = await gql(client, key, """mutation($c: ID!, $a: ID!) {
        addCollectionAssets(input: {collectionId: $c, assetIds: [$a]}) { collection { id } errors { code } } }""",
                      {"c": collection["id"], "a": asset["id"]})
    assert moved["data"]["addCollectionAssets"]["errors"] == []
    found = await gql(client, key, """query($c: ID!, $id: ID!) {
        node(id: $id) { ... on Collection { name } }
        collections { totalCount edges { node { id } } }
        assets(filter: {collectionId: $c}) { edges { node { id collectionId } } } }""",
                      {"c": collection["id"], "id": collection["id"]})
    assert found["data"]["node"] == {"name": "Archive"}
    assert found["data"]["collections"]["totalCount"] == 1
    assert found["data"]["assets"]["edges"] == [{"node": {"id": asset["id"], "collectionId": collection["id"]}}]
    deleted = await gql(client, key, "mutation($id: ID!) { deleteCollection(id: $id) { deletedId errors { code } } }",
                        {"id": collection["id"]})
    assert deleted["data"]["deleteCollection"]["deletedId"] == collection["id"]

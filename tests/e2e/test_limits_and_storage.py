"""Guards: query limits, body limits, signed URL tampering and expiry, deletion, providers, N+1."""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
from sqlalchemy import event

from tests.flows import ASSET, START, create_asset, ready_asset
from tests.harness import gql


def _with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


async def test_tampered_and_expired_upload_urls_answer_403(client, tenant):
    asset = await create_asset(client, tenant.key, "a.mp4")
    url = (await gql(client, tenant.key, START, {"id": asset["id"], "parts": 2}))["data"]["startUpload"]["parts"][0]["url"]
    assert (await client.put(_with_query(url, sig="0" * 64), content=b"x")).status_code == 403
    assert (await client.put(_with_query(url, exp=str(int(time.time()) + 99999)), content=b"x")).status_code == 403
    assert (await client.put(_with_query(url, exp=str(int(time.time()) - 10)), content=b"x")).status_code == 403
    other_part = url.replace("/1?", "/2?")
    assert (await client.put(other_part, content=b"x")).status_code == 403


async def test_tampered_download_url_answers_403(client, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    url = asset["waveform"]["url"]
    async with httpx.AsyncClient() as anyone:
        assert (await anyone.get(url)).status_code == 200
        assert (await anyone.get(_with_query(url, sig="f" * 64))).status_code == 403
        assert (await anyone.get(url.replace("waveform.png", "secret.png"))).status_code == 403


async def test_signed_url_lifetime_is_honoured(client, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    body = await gql(client, tenant.key, "query($id: ID!) { asset(id: $id) { waveform { url(expiresIn: 120) } } }",
                     {"id": asset["id"]})
    exp = int(parse_qs(urlsplit(body["data"]["asset"]["waveform"]["url"]).query)["exp"][0])
    assert 100 <= exp - time.time() <= 121


async def test_body_over_the_limit_is_413(client, tenant):
    big = {"query": "{ me { name } }", "variables": {"pad": "x" * 10_500_000}}
    response = await client.post("/graphql", json=big, headers={"Authorization": f"Bearer {tenant.key}"})
    assert response.status_code == 413


async def test_deep_queries_are_refused(client, tenant):
    deep = "{ assets { edges { node { jobs { edges { node { asset { jobs { edges { node { asset { id } } } } } } } } } } } }"
    body = await gql(client, tenant.key, deep, expect_errors=True)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_too_many_aliases_are_refused(client, tenant):
    query = "{ " + " ".join(f"a{i}: me {{ name }}" for i in range(40)) + " }"
    body = await gql(client, tenant.key, query, expect_errors=True)
    assert body["errors"] and body.get("data") is None


async def test_delete_removes_the_asset_and_its_files(client, tenant, media):
    asset = await ready_asset(client, tenant.key, media["wav"])
    url = asset["waveform"]["url"]
    deleted = await gql(client, tenant.key, "mutation($id: ID!) { deleteAsset(input: {id: $id}) { deletedId errors { code } } }",
                        {"id": asset["id"]})
    assert deleted["data"]["deleteAsset"] == {"deletedId": asset["id"], "errors": []}
    gone = await gql(client, tenant.key, ASSET, {"id": asset["id"]}, expect_errors=True)
    assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    async with httpx.AsyncClient() as anyone:
        assert (await anyone.get(url)).status_code == 404


async def test_providers_lists_what_is_installed(client, tenant):
    body = await gql(client, tenant.key, "{ providers { id name resources { type features } } }")
    local = next(p for p in body["data"]["providers"] if p["id"] == "local")
    media = next(r for r in local["resources"] if r["type"] == "MEDIA")
    assert media["features"] == ["probe", "thumbnail", "waveform"]


async def test_asset_pages_walk_without_gaps(client, tenant):
    made = [await create_asset(client, tenant.key, f"f{i}.mp4") for i in range(5)]
    query = """query($after: String) { assets(first: 2, after: $after) { totalCount
        pageInfo { hasNextPage endCursor } edges { node { id } } } }"""
    seen, after = [], None
    while True:
        page = (await gql(client, tenant.key, query, {"after": after}))["data"]["assets"]
        assert page["totalCount"] == 5
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [a["id"] for a in reversed(made)]


async def test_nested_asset_lists_cost_the_same_number_of_statements_for_1_and_50(server, client, tenant, media):
    for _ in range(4):
        await ready_asset(client, tenant.key, media["mp4"])
    query = """query($n: Int!) { assets(first: $n) { totalCount edges { node { id filename
        audioTracks { id codec } thumbnail { size } waveform { size } original { size }
        jobs { totalCount edges { node { id status asset { id } } } } } } } }"""
    engine = server.runtime.engine.sync_engine
    counts = {}
    for n in (1, 50) * 3:
        statements = []
        listener = lambda *args, **kw: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            body = await gql(client, tenant.key, query, {"n": n})
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert len(body["data"]["assets"]["edges"]) == min(n, 4)
        seen = len([s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE"))])
        # the listener hears the whole engine: a background sweep (outbox, reaper) can only add statements, so the
        # fewest of three tries is the query's own count
        counts[n] = min(counts.get(n, seen), seen)
    assert counts[1] == counts[50], counts


async def test_long_documents_are_refused_by_the_token_limit(client, tenant):
    query = "{ me { " + " ".join(["name"] * 5000) + " } }"
    body = await gql(client, tenant.key, query, expect_errors=True)
    assert body["errors"] and body.get("data") is None
    assert "token" in body["errors"][0]["message"].lower()


async def test_an_int_beyond_32_bits_is_a_validation_error_not_a_crash(client, tenant):
    body = await gql(client, tenant.key, "query($n: Int) { assets(first: $n) { totalCount } }", {"n": 2**40},
                     expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

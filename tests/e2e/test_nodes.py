"""`node(id:)` and `nodes(ids:)`: every Node type refetched by its id, tenant-scoped, in few statements."""
from __future__ import annotations

import httpx
import pytest
from sqlalchemy import event

from domain.nodes.loaders import MODELS
from tests.conftest import new_tenant
from tests.harness import gql
from tests.tenant_matrix import build_world

# The matrix's kinds of object and the GraphQL type each one comes back as.
TYPES = {
    "asset": "Asset", "job": "Job", "transcription": "Transcription", "segment": "Segment", "speaker": "Speaker",
    "audio_track": "AudioTrack", "clip": "Clip", "analysis_item": "AnalysisItem", "template": "Template",
    "blacklist": "WordList", "whitelist": "WordList", "dictionary": "Dictionary", "subtitle_style": "SubtitleStyle",
    "overlay": "BrandingMedia", "branding_clip": "BrandingMedia", "branding": "Branding",
    "branding_variant": "BrandingVariant", "external_storage": "ExternalStorage",
}
NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
async def worlds(server, media):
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
        a = await build_world(server, http, await new_tenant(server), media)
        b = await build_world(server, http, await new_tenant(server), media)
        yield a, b


async def test_node_refetches_every_node_type_by_id(client, worlds):
    a, _ = worlds
    for kind, typename in TYPES.items():
        body = await gql(client, a.tenant.key, NODE, {"id": a.id(kind)})
        assert body["data"]["node"] == {"__typename": typename, "id": a.id(kind)}, kind


async def test_node_of_another_tenant_or_a_malformed_id_is_not_found_like_asset(client, worlds):
    a, b = worlds
    for id in (a.id("asset"), a.id("transcription"), "not-a-uuid", MISSING):
        body = await gql(client, b.tenant.key, NODE, {"id": id}, expect_errors=True)
        assert body["data"]["node"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND", body
        assert a.id("asset") not in body["errors"][0]["message"] or id == a.id("asset")
    asset = await gql(client, b.tenant.key, "query($id: ID!) { asset(id: $id) { id } }", {"id": a.id("asset")},
                      expect_errors=True)
    assert asset["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_nodes_answers_in_order_with_null_for_ids_it_does_not_own(client, worlds):
    a, b = worlds
    ids = [a.id("asset"), b.id("job"), "not-a-uuid", a.id("template"), MISSING]
    body = await gql(client, a.tenant.key, NODES, {"ids": ids}, expect_errors=True)
    assert body["data"]["nodes"] == [{"__typename": "Asset", "id": ids[0]}, None, None,
                                     {"__typename": "Template", "id": ids[3]}, None]
    assert sorted(e["path"][1] for e in body["errors"]) == [1, 2, 4]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"NOT_FOUND"}


async def test_nodes_of_many_mixed_ids_costs_at_most_one_statement_per_node_model(server, client, worlds):
    a, _ = worlds
    ids = [a.id(kind) for kind in TYPES] + [MISSING, a.id("asset")]
    engine = server.runtime.engine.sync_engine
    counts = {}
    for n in (1, 20):
        statements = []
        listener = lambda *args, **kw: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            body = await gql(client, a.tenant.key, NODES, {"ids": ids[:n]}, expect_errors=True)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert len(body["data"]["nodes"]) == n
        counts[n] = len([s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE"))])
    assert len(ids) == 20
    assert [n["id"] for n in body["data"]["nodes"] if n] == [id for id in ids if id != MISSING]
    # One statement per Node model at most (len(MODELS)), plus the key's authentication, however many ids.
    assert counts[20] <= len(MODELS) + counts[1], counts

"""The generated tenant matrix: every GraphQL field and REST row that takes an id, called by tenant B with tenant A's
ids, answers not-found in its dialect, leaks nothing of A and changes nothing of A; signed URLs stay with their file."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import httpx
import msgspec
import pytest

from rest_compat.dialects import DIALECTS
from tests.conftest import new_tenant
from tests.flows import FINISH, START, create_asset
from tests.harness import gql
from tests.tenant_matrix import (REST_OTHER_ANSWERS, REST_ROLE_GATED, answer_code, build_world, introspect, leaks,
                                 probes, rest_probes, run_probe, same_answer, snapshot)


ADMIN_KEY = "mg_bootstrap_test_key"  # the bootstrap key: an admin, of a tenant of its own
ADMIN_FIELDS = {"adminExternalStorage"}  # by design an admin's view across tenants
ADMIN_PATHS = ("/v1/admin/",)


@pytest.fixture(scope="module")
async def matrix(server, media):
    """Tenants A and B, each with one object of every kind, and the schema as a client sees it."""
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
        a = await build_world(server, http, await new_tenant(server), media)
        b = await build_world(server, http, await new_tenant(server), media)
        schema = await introspect(http, b.tenant.key)
        yield a, b, schema, b.language


async def test_every_graphql_field_taking_an_id_answers_not_found_to_another_tenant(server, client, matrix):
    a, b, schema, language = matrix
    unknown: list[str] = []
    calls = probes(schema, a, b, language, unknown)
    assert not unknown, ("these arguments take an id of no known kind; add them to ID_KINDS or OWNER_KINDS in "
                         f"tests/tenant_matrix.py: {unknown}")
    covered = {(p.op, p.field) for p in calls}
    assert {("query", "asset"), ("mutation", "deleteAsset"), ("subscription", "jobUpdated"),
            ("mutation", "export"), ("query", "analysisItem")} <= covered, covered  # the generator sees the schema
    before = await snapshot(client, schema, a)
    failures = []
    for probe in calls:
        body = await run_probe(server, client, schema, probe, b.tenant.key)
        code = answer_code(probe.op, probe.field, body)
        text = json.dumps(body)
        leaked = leaks(a, text, probe.sent)
        twin = probe.twin()
        twin_text = json.dumps(await run_probe(server, client, schema, twin, b.tenant.key))
        alike = same_answer(text, twin_text, (probe.foreign, twin.foreign))
        if code not in probe.allowed or leaked or not alike:
            failures.append(f"{probe.op} {probe.field} [{probe.slot}]: {code}"
                            f"{' leaks ' + str(leaked) if leaked else ''}"
                            f"{'' if alike else ' (unlike an id that exists nowhere: ' + twin_text[:200] + ')'}"
                            f" {json.dumps(probe.args)} -> {text[:300]}")
        if probe.field not in ADMIN_FIELDS:  # an admin key is still its own tenant outside the admin* fields
            body = await run_probe(server, client, schema, probe, ADMIN_KEY)
            if answer_code(probe.op, probe.field, body) not in probe.allowed - {"FORBIDDEN"} or \
                    leaks(a, json.dumps(body), probe.sent):
                failures.append(f"as admin: {probe.op} {probe.field} [{probe.slot}]: {json.dumps(body)[:300]}")
    after = await snapshot(client, schema, a)
    assert not failures, (f"{len(failures)} of {len(calls)} calls by tenant B were not NOT_FOUND:\n"
                          + "\n".join(failures))
    assert all(after.values()), [kind for kind, value in after.items() if not value]
    assert after == before


async def test_every_rest_row_with_a_path_id_answers_not_found_in_its_dialect(client, matrix):
    a, b, schema, _ = matrix
    unknown: list[str] = []
    calls = rest_probes(DIALECTS, a, b, unknown)
    assert not unknown, ("these path parameters or body fields name objects of no known kind; add them to "
                         f"PARAM_KINDS, PARAM_CONTEXT or BODY_OWNER_KINDS in tests/tenant_matrix.py: {unknown}")
    assert len({(p.row.method, p.row.path) for p in calls}) > 80  # the generator sees the route tables
    before = await snapshot(client, schema, a)
    failures = []
    for probe in calls:
        other = probe.twin()
        response, twin = await _request(client, probe, b.tenant.key), await _request(client, other, b.tenant.key)
        dialect, row = probe.dialect, probe.row
        expected = {dialect.status_for(REST_OTHER_ANSWERS.get((row.method, row.path), "NOT_FOUND"))}
        if (row.method, row.path) in REST_ROLE_GATED:
            expected.add(dialect.status_for("FORBIDDEN"))
        leaked = leaks(a, response.text, probe.sent)
        shaped = _shaped(dialect, response)
        alike = twin.status_code == response.status_code and \
            _without(response.text, probe.foreign) == _without(twin.text, other.foreign)
        if response.status_code not in expected or leaked or not shaped or not alike:
            failures.append(f"{dialect.name} {row.method} {row.path} as {probe.path} {json.dumps(probe.body)}: "
                            f"{response.status_code}{' leaks ' + str(leaked) if leaked else ''}"
                            f"{'' if shaped else ' (not the dialect error shape)'}"
                            f"{'' if alike else ' (unlike ids that exist nowhere: ' + twin.text[:200] + ')'}"
                            f" {response.text[:200]}")
        if not row.path.startswith(ADMIN_PATHS):  # an admin key is still its own tenant outside /admin/ rows
            admin = await _request(client, probe, ADMIN_KEY)
            if admin.status_code not in expected - {dialect.status_for("FORBIDDEN")} or leaks(a, admin.text, probe.sent):
                failures.append(f"as admin: {dialect.name} {row.method} {probe.path}: {admin.status_code} "
                                f"{admin.text[:200]}")
    after = await snapshot(client, schema, a)
    assert not failures, (f"{len(failures)} of {len(calls)} REST calls by tenant B were not not-found:\n"
                          + "\n".join(failures))
    assert after == before


async def _request(client, probe, key: str) -> httpx.Response:
    return await client.request(probe.row.method, probe.path, headers={"Authorization": f"Bearer {key}"},
                                **({"json": probe.body} if probe.body is not None else {}))


def _without(text: str, ids) -> str:
    for ident in ids:
        text = text.replace(ident, "<id>")
    return text


def _shaped(dialect, response: httpx.Response) -> bool:
    try:
        msgspec.convert(response.json(), type=dialect.error_schema)
        return True
    except (ValueError, msgspec.ValidationError):
        return False


def _swap_path(url: str, other: str) -> str:
    """`url`'s signature and expiry on `other`'s path."""
    mine, theirs = urlsplit(url), urlsplit(other)
    return f"{mine.scheme}://{mine.netloc}{theirs.path}?{mine.query}"


async def test_signed_urls_of_one_tenant_never_open_another_tenants_files(client, matrix, media):
    a, b, _, _ = matrix
    for role in ("original", "thumbnail"):
        assert (await client.get(a.paths[role])).status_code == 200
        for url in (_swap_path(a.paths[role], b.paths[role]), _swap_path(b.paths[role], a.paths[role])):
            refused = await client.get(url)
            assert refused.status_code in (401, 403), (role, refused.status_code)
            assert refused.content != media["mp4"].read_bytes()

    # An upload part URL signed for A's upload cannot write into B's.
    mine = await create_asset(client, a.tenant.key, "a-part.mp4")
    theirs = await create_asset(client, b.tenant.key, "b-part.mp4")
    a_url, b_url = [(await gql(client, key, START, {"id": ident, "parts": 1}))["data"]["startUpload"]["parts"][0]["url"]
                    for key, ident in ((a.tenant.key, mine["id"]), (b.tenant.key, theirs["id"]))]
    for forged in (_swap_path(a_url, b_url), a_url.replace("/1?", "/2?")):
        put = await client.put(forged, content=b"not yours")
        assert put.status_code in (401, 403), put.text
    # B's own upload still takes B's bytes, and only those: nothing of A's refused writes is in B's file.
    own = media["wav"].read_bytes()
    good = await client.put(b_url, content=own)
    assert good.status_code == 200
    finished = await gql(client, b.tenant.key, FINISH, {"id": theirs["id"], "etags": [good.headers["etag"]]})
    assert finished["data"]["finishUpload"]["errors"] == []
    original = await gql(client, b.tenant.key, "query($id: ID!) { asset(id: $id) { original { url } } }",
                         {"id": theirs["id"]})
    assert (await client.get(original["data"]["asset"]["original"]["url"])).content == own


ADD = """mutation($t: ID!, $o: ID) { addSegments(input: {transcriptionId: $t, segments: [
  {startMs: 100, endMs: 900, text: "derived", originalSegmentId: $o}]}) {
  errors { code field } transcription { segments { text originalSegmentId } } } }"""


async def test_a_new_segment_cannot_derive_from_another_tenants_segment(client, matrix):
    """Found by the matrix: addSegments stored any originalSegmentId, so B's segment could point at A's."""
    a, b, _, _ = matrix
    foreign = (await gql(client, b.tenant.key, ADD, {"t": b.id("transcription"), "o": a.id("segment")}))
    assert foreign["data"]["addSegments"]["errors"] == [
        {"code": "NOT_FOUND", "field": ["segments", "0", "originalSegmentId"]}]
    own = (await gql(client, b.tenant.key, ADD, {"t": b.id("transcription"), "o": b.id("segment")}))
    assert own["data"]["addSegments"]["errors"] == []
    segments = own["data"]["addSegments"]["transcription"]["segments"]
    assert {"text": "derived", "originalSegmentId": b.id("segment")} in segments
    assert not any(s["originalSegmentId"] == a.id("segment") for s in segments)


VARIANT = """mutation($input: BrandingVariantInput!) { saveBrandingVariant(input: $input) {
  errors { code field } variant { id aspectRatio } } }"""


async def test_moving_a_variant_onto_a_taken_ratio_is_a_conflict_not_a_500(client, matrix):
    """Found while building the matrix: the uniqueness check flushed the change first and failed inside the database."""
    _, b, _, _ = matrix
    square = await gql(client, b.tenant.key, VARIANT, {"input": {"brandingId": b.id("branding"), "aspectRatio": "4:5"}})
    square = square["data"]["saveBrandingVariant"]
    assert square["errors"] == []
    moved = await gql(client, b.tenant.key, VARIANT, {"input": {"brandingId": b.id("branding"),
                                                                "id": b.id("branding_variant"), "aspectRatio": "4:5"}})
    assert moved["data"]["saveBrandingVariant"] == {"errors": [{"code": "CONFLICT", "field": ["input", "aspectRatio"]}],
                                                    "variant": None}
    kept = await gql(client, b.tenant.key, "query($b: ID!, $id: ID!) { brandingVariant(brandingId: $b, id: $id) {"
                     " aspectRatio } }", {"b": b.id("branding"), "id": b.id("branding_variant")})
    assert kept["data"]["brandingVariant"]["aspectRatio"] == "16:9"

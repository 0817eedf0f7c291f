"""Idempotency-Key on REST creates (all five dialects) and `idempotencyKey` on GraphQL create mutations: a retry gets
the first answer and creates nothing; another request under the key is a conflict in the caller's dialect; five at
once create one; keys are per tenant; an expired key creates anew; every mutating POST row takes the header."""
from __future__ import annotations

import asyncio
import base64
import io
import json
import uuid
import wave
from datetime import timedelta

import pytest
import sqlalchemy as sa

from domain.assets.models import Asset
from domain.db import UnitOfWork, make_engine, make_sessionmaker, utcnow
from domain.editor.models import Project
from domain.idempotency.models import IdempotencyKey
from domain.jobs.models import Job
from domain.tenancy import service as tenancy
from rest_compat.dialects import DIALECTS
from rest_compat.table import Problem
from tests.conftest import new_tenant
from tests.harness import gql
from tests.rest_compat.helpers import bearer

DIALECT = {d.name: d for d in DIALECTS}


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(b"\x00\x01" * 16000)
    return out.getvalue()


def _translation(text: str) -> dict:
    return {"data": {"type": "translation-job", "attributes": {
        "input": {"type": "text", "content": text, "target_language": "es"}}}}


# dialect -> (path, request kwargs for one body, for another body, the model a creation adds, the created id)
CASES = {
    "mediacopilot": ("/v1/assets", {"json": {"filename": "a.mp4"}}, {"json": {"filename": "b.mp4"}}, Asset,
                     lambda b: b["id"]),
    "ai_gateway": ("/v1/translations", {"json": _translation("Good morning.")}, {"json": _translation("Good night.")},
                   Job, lambda b: b["data"]["id"]),
    "mediapitch": ("/api/v1/audios", {"files": {"audio": ("a.wav", _wav(), "audio/wav")}},
                   {"files": {"audio": ("a.wav", _wav()[:-2000], "audio/wav")}}, Asset, lambda b: b["data"]["id"]),
    "metavision": ("/api/v1/analyze", {"json": {"media_base64": base64.b64encode(_wav()).decode(),
                                                 "media_type": "audio", "categories": ["keywords"]}},
                   {"json": {"media_base64": base64.b64encode(_wav()).decode(), "media_type": "audio",
                             "categories": ["sentiment"]}}, Job, lambda b: b["job_id"]),
    "editor": ("/api/project", {"json": {"name": "Cut"}}, {"json": {"name": "Other cut"}}, Project, lambda b: b["id"]),
}


class Database:
    """The server's database, from the test's own engine."""

    def __init__(self, server):
        self.engine = make_engine(server.settings.database_url)
        self.sessions = make_sessionmaker(self.engine)

    async def tenant_id(self, key: str) -> uuid.UUID:
        async with UnitOfWork(self.sessions) as uow:
            return (await tenancy.authenticate(uow.session, key)).tenant_id

    async def count(self, model, key: str) -> int:
        tenant_id = await self.tenant_id(key)
        async with UnitOfWork(self.sessions) as uow:
            return await uow.session.scalar(sa.select(sa.func.count()).select_from(model).where(
                model.tenant_id == tenant_id))

    async def change(self, key: str, idempotency_key: str, **values) -> None:
        tenant_id = await self.tenant_id(key)
        async with UnitOfWork(self.sessions) as uow:
            await uow.session.execute(sa.update(IdempotencyKey).where(
                IdempotencyKey.tenant_id == tenant_id, IdempotencyKey.key == idempotency_key).values(**values))

    async def age(self, key: str, idempotency_key: str, by: timedelta) -> None:
        await self.change(key, idempotency_key, created_at=utcnow() - by)



@pytest.fixture
async def db(server):
    database = Database(server)
    yield database
    await database.engine.dispose()


def _headers(key: str, idempotency_key: str) -> dict:
    return {**bearer(key), "Idempotency-Key": idempotency_key}


def _error_shape(dialect: str, response, status: int, code: str) -> None:
    """The dialect's own error envelope, carrying the code where the dialect's envelope carries codes."""
    assert response.status_code == status, response.text
    expected = DIALECT[dialect].render_error(Problem(status, code, "m", ["Idempotency-Key"]))
    assert set(response.json()) == set(expected), response.text
    if code in json.dumps(expected):
        assert code in response.text, response.text


@pytest.mark.parametrize("dialect", sorted(CASES))
async def test_a_rest_retry_gets_the_first_answer_and_creates_nothing(server, client, db, dialect):
    path, first, other, model, ident = CASES[dialect]
    tenant, rival = await new_tenant(server), await new_tenant(server)
    made = await client.post(path, headers=_headers(tenant.key, "k-1"), **first)
    assert made.status_code in (200, 201, 202), made.text
    assert "Idempotent-Replayed" not in made.headers
    again = await client.post(path, headers=_headers(tenant.key, "k-1"), **first)
    assert (again.status_code, again.json()) == (made.status_code, made.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["content-type"] == made.headers["content-type"]
    assert await db.count(model, tenant.key) == 1
    # Had the process died between the commit and keeping the answer, the retry renders the recorded objects.
    await db.change(tenant.key, "k-1", response=None)
    rendered = await client.post(path, headers=_headers(tenant.key, "k-1"), **first)
    assert rendered.status_code == made.status_code and ident(rendered.json()) == ident(made.json())
    assert rendered.headers["Idempotent-Replayed"] == "true"
    assert await db.count(model, tenant.key) == 1
    # Another request under the key: 422 in the dialect's error shape, nothing made.
    reused = await client.post(path, headers=_headers(tenant.key, "k-1"), **other)
    _error_shape(dialect, reused, 422, "IDEMPOTENCY_KEY_REUSED")
    assert await db.count(model, tenant.key) == 1
    # Another tenant's same key is its own.
    theirs = await client.post(path, headers=_headers(rival.key, "k-1"), **first)
    assert theirs.status_code == made.status_code and ident(theirs.json()) != ident(made.json())
    assert await db.count(model, rival.key) == 1
    # A key older than 24 hours is forgotten: the same request creates again.
    await db.age(tenant.key, "k-1", timedelta(hours=25))
    anew = await client.post(path, headers=_headers(tenant.key, "k-1"), **first)
    assert anew.status_code == made.status_code and "Idempotent-Replayed" not in anew.headers
    assert ident(anew.json()) != ident(made.json())
    assert await db.count(model, tenant.key) == 2


@pytest.mark.parametrize("dialect", sorted(CASES))
async def test_five_rest_requests_at_once_under_one_key_create_once(server, client, db, dialect):
    path, first, _, model, ident = CASES[dialect]
    tenant = await new_tenant(server)
    answers = await asyncio.gather(*[client.post(path, headers=_headers(tenant.key, "burst"), **first)
                                     for _ in range(5)])
    created = [a for a in answers if a.status_code in (200, 201, 202)]
    busy = [a for a in answers if a.status_code == 409]
    assert len(created) + len(busy) == 5, [a.text for a in answers]
    assert created and len({ident(a.json()) for a in created}) == 1
    for answer in busy:
        _error_shape(dialect, answer, 409, "IDEMPOTENCY_KEY_IN_USE")
    assert await db.count(model, tenant.key) == 1


CREATE_ASSET = """mutation($input: CreateAssetInput!, $key: String) { createAsset(input: $input, idempotencyKey: $key) {
    asset { id filename } errors { field code message } } }"""
TRANSLATE_TEXT = """mutation($input: TranslateTextInput!, $key: String) {
    translateText(input: $input, idempotencyKey: $key) { job { id kind } errors { field code message } } }"""
MUTATIONS = {
    "createAsset": (CREATE_ASSET, {"filename": "a.mp4"}, {"filename": "b.mp4"}, Asset, "asset"),
    "translateText": (TRANSLATE_TEXT, {"content": "Good morning.", "targetLanguage": "es"},
                      {"content": "Good night.", "targetLanguage": "es"}, Job, "job"),
}


@pytest.mark.parametrize("field", sorted(MUTATIONS))
async def test_a_graphql_retry_gets_the_first_objects_and_creates_nothing(server, client, db, field):
    query, first, other, model, name = MUTATIONS[field]
    tenant, rival = await new_tenant(server), await new_tenant(server)

    async def call(key, input_, idempotency_key):
        return (await gql(client, key, query, {"input": input_, "key": idempotency_key}))["data"][field]

    made = await call(tenant.key, first, "g-1")
    assert made["errors"] == [] and made[name]["id"]
    assert await call(tenant.key, first, "g-1") == made
    assert await db.count(model, tenant.key) == 1
    reused = await call(tenant.key, other, "g-1")
    assert reused[name] is None and [e["code"] for e in reused["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert reused["errors"][0]["field"] == ["idempotencyKey"]
    theirs = await call(rival.key, first, "g-1")
    assert theirs[name]["id"] != made[name]["id"] and await db.count(model, rival.key) == 1
    # Without a key every call creates; a key that is too long is refused before anything is made.
    await call(tenant.key, first, None)
    assert await db.count(model, tenant.key) == 2
    long = await call(tenant.key, first, "x" * 256)
    assert [(e["code"], e["field"]) for e in long["errors"]] == [("VALIDATION_FAILED", ["idempotencyKey"])]
    await db.age(tenant.key, "g-1", timedelta(hours=25))
    anew = await call(tenant.key, first, "g-1")
    assert anew[name]["id"] != made[name]["id"] and await db.count(model, tenant.key) == 3
    # Five at once: one creation; the others replay it or hear that it is still running.
    burst = await asyncio.gather(*[call(tenant.key, first, "g-burst") for _ in range(5)])
    ids = {b[name]["id"] for b in burst if b[name]}
    codes = [e["code"] for b in burst for e in b["errors"]]
    assert len(ids) == 1 and set(codes) <= {"IDEMPOTENCY_KEY_IN_USE"} and len(codes) + sum(
        1 for b in burst if b[name]) == 5, burst
    assert await db.count(model, tenant.key) == 4


async def test_every_mutating_post_row_takes_the_header(server, client):
    """Driven from the route table: each row refuses a malformed key in its dialect's shape (so it reads the
    header before anything else) and its OpenAPI operation documents the header."""
    tenant = await new_tenant(server)
    spec = (await client.get("/openapi.json")).json()
    rows = [(d, r) for d in DIALECTS for r in d.routes if r.idempotent]
    assert {r.method for _, r in rows} == {"POST"} and len(rows) > 40
    for dialect, row in rows:
        operation = spec["paths"][row.path]["post"]
        assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"]), row.path
        assert {"409", "422"} <= set(operation["responses"]), row.path
        path = row.path
        for name in row.path_params:
            path = path.replace("{" + name + "}", str(uuid.uuid4()) if "id" in name else "1")
        refused = await client.post(path, headers=_headers(tenant.key, "x" * 256), json={})
        _error_shape(dialect.name, refused, dialect.status_for("VALIDATION_FAILED"), "VALIDATION_FAILED")
        assert "Idempotency-Key" in refused.text or "idempotency key" in refused.text, (row.path, refused.text)


async def test_the_sweep_removes_expired_keys_and_keeps_live_ones(server, client, db):
    from domain.idempotency import service as idempotency

    tenant = await new_tenant(server)
    for name in ("old-1", "old-2", "live"):
        made = await client.post("/v1/assets", headers=_headers(tenant.key, name), json={"filename": f"{name}.mp4"})
        assert made.status_code in (200, 201), made.text
    await db.age(tenant.key, "old-1", timedelta(hours=25))
    await db.age(tenant.key, "old-2", timedelta(hours=49))
    # A batch of one: the sweep goes on in batches until none is left (other tests' keys are all fresh).
    assert await idempotency.sweep(db.sessions, batch=1) >= 2
    tenant_id = await db.tenant_id(tenant.key)
    async with UnitOfWork(db.sessions) as uow:
        kept = set((await uow.session.execute(sa.select(IdempotencyKey.key).where(
            IdempotencyKey.tenant_id == tenant_id))).scalars())
    assert kept == {"live"}
    # The live key still answers its first request; nothing was created twice.
    again = await client.post("/v1/assets", headers=_headers(tenant.key, "live"), json={"filename": "live.mp4"})
    assert again.headers.get("Idempotent-Replayed") == "true" and await db.count(Asset, tenant.key) == 3

"""MediaCopilot as its document's client reads it: the asset list's `speakers` and `classification` filters, the
`asset_id`/`job_id` names create answers carry, and unknown body keys ignored (FastAPI's default)."""
from __future__ import annotations

import uuid

from domain import languages
from domain.assets.models import Asset
from domain.db import UnitOfWork, make_engine, make_sessionmaker
from domain.tenancy import service as tenancy
from domain.transcripts.models import Segment, Speaker, Transcription
from tests.harness import gql
from tests.rest_compat.helpers import bearer

ES = str(languages.by_code("es-ES").id)


async def seed(server, key: str) -> dict[str, str]:
    """Three analysed assets, written directly (these tests read filters, they do not run the pipeline)."""
    engine = make_engine(server.settings.database_url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            tenant = (await tenancy.authenticate(uow.session, key)).tenant_id
            made = {name: Asset(id=uuid.uuid4(), tenant_id=tenant, filename=f"{name}.mp4", status="ready",
                                classification=genre)
                    for name, genre in (("news", "3.1.1 News"), ("weather", "3.1.1.12 Weather forecast"),
                                        ("sport", "3.4 Sport"))}
            uow.session.add_all(made.values())
            await uow.session.flush()
            uow.session.add_all([
                Speaker(id=uuid.uuid4(), tenant_id=tenant, asset_id=made["news"].id, label="SPEAKER_00", name="Anna"),
                Speaker(id=uuid.uuid4(), tenant_id=tenant, asset_id=made["news"].id, label="SPEAKER_01", name="Ben"),
                Speaker(id=uuid.uuid4(), tenant_id=tenant, asset_id=made["weather"].id, label="SPEAKER_00",
                        name="Anna Lind")])
            transcript = Transcription(id=uuid.uuid4(), tenant_id=tenant, asset_id=made["news"].id, language="en-US",
                                       source="manual")
            uow.session.add(transcript)
            await uow.session.flush()
            uow.session.add(Segment(tenant_id=tenant, transcription_id=transcript.id, start_ms=0, end_ms=900,
                                    text="Good evening."))
            await uow.commit()
        return {name: str(asset.id) for name, asset in made.items()}
    finally:
        await engine.dispose()


async def listed(client, key: str, query: str) -> set[str]:
    answer = await client.get(f"/v1/assets?{query}", headers=bearer(key))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == len(body["data"])
    return {a["filename"].removesuffix(".mp4") for a in body["data"]}


async def test_the_asset_list_filters_by_speakers_and_by_ebu_code_or_label(server, client, tenant, other_tenant):
    await seed(server, tenant.key)
    key = tenant.key
    assert await listed(client, key, "classification=3.1.1") == {"news", "weather"}  # narrower genres included
    assert await listed(client, key, "classification=3.1.1.12") == {"weather"}
    assert await listed(client, key, "classification=3") == {"news", "weather", "sport"}
    assert await listed(client, key, "classification=3.1") == {"news", "weather"}
    assert await listed(client, key, "classification=News") == {"news"}
    assert await listed(client, key, "classification=weather%20forecast") == {"weather"}
    assert await listed(client, key, "classification=3.4%20Sport") == {"sport"}
    assert await listed(client, key, "classification=3.1.11") == set()  # a code is matched whole, not as a prefix
    assert await listed(client, key, "classification=Documentary") == set()

    assert await listed(client, key, "speakers=Anna") == {"news"}  # a name is matched whole, any case
    assert await listed(client, key, "speakers=anna%20lind") == {"weather"}
    assert await listed(client, key, "speakers=Anna,Ben") == {"news"}  # every one must be among the asset's
    assert await listed(client, key, "speakers=SPEAKER_00") == {"news", "weather"}  # by label
    assert await listed(client, key, "speakers=Zed") == set()
    assert await listed(client, key, "speakers=Anna&classification=3.4") == set()
    assert await listed(client, other_tenant.key, "speakers=Anna") == set()

    # GraphQL takes the same filter.
    body = await gql(client, key, """{ assets(filter: {speakers: ["ben"], classification: "news"}) {
        totalCount edges { node { filename } } } }""")
    assert [e["node"]["filename"] for e in body["data"]["assets"]["edges"]] == ["news.mp4"]


async def test_create_answers_carry_asset_id_and_job_id_and_unknown_keys_are_ignored(server, client, tenant, libre):
    key = tenant.key
    created = await client.post("/v1/assets", headers=bearer(key),
                                json={"filename": "call.mp4", "mc_model": "turbo", "client_ref": "ignored"})
    assert created.status_code == 201, created.text
    asset = created.json()
    # The document's upload flow: "POST /v1/assets returns an asset_id", then /v1/assets/{asset_id}/start_upload.
    assert asset["asset_id"] == asset["id"] and asset["mc_model"] == "turbo" and "client_ref" not in asset
    started = await client.post(f"/v1/assets/{asset['asset_id']}/start_upload", headers=bearer(key),
                                json={"parts": 1, "unknown": True})
    assert started.status_code == 200, started.text

    news = (await seed(server, key))["news"]
    job = await client.post(f"/v1/assets/{news}/translation_jobs", headers=bearer(key),
                            json={"language_ids": [ES], "priority": "high"})
    assert job.status_code == 201, job.text
    # "POST to create the job — returns a job_id. GET with the job_id to poll status."
    job_id = job.json()["job_id"]
    assert job_id == job.json()["id"]
    polled = await client.get(f"/v1/assets/{news}/translation_jobs/{job_id}", headers=bearer(key))
    assert polled.status_code == 200 and polled.json()["job_id"] == job_id

    # A known key of the wrong type still fails validation, in MediaCopilot's error shape.
    wrong = await client.post("/v1/assets", headers=bearer(key), json={"filename": 7, "extra": 1})
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "VALIDATION_FAILED"
    assert wrong.json()["error"]["field"] == ["filename"]

"""Usage over MediaCopilot REST and GraphQL: this month from a real upload, and month by month from the usage
records jobs write (the same records MetaVision and MediaPitch bill from), tenant by tenant."""
from __future__ import annotations

from datetime import datetime, timezone

from tests.editor import duration_s
from tests.factories import usage_records
from tests.harness import gql
from tests.rest_compat.helpers import bearer, mc_upload, mc_wait_ready


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


async def test_current_month_counts_an_upload(client, tenant, media):
    key = tenant.key
    before = (await client.get("/v1/usages/current_month", headers=bearer(key))).json()
    assert before["media_minutes_ingested"] == 0 and before["month"] == datetime.now(timezone.utc).strftime("%Y-%m")
    asset = await mc_upload(client, key, media["speech_mp4"], parts=1)
    assert (await mc_wait_ready(client, key, asset["id"]))["status"] == "ready"
    after = await client.get("/v1/usages/current_month", headers=bearer(key))
    assert after.status_code == 200, after.text
    body = after.json()
    assert abs(body["media_minutes_ingested"] - duration_s(media["speech_mp4"]) / 60) < 0.02
    assert body["stored_bytes"] >= media["speech_mp4"].stat().st_size


async def test_historical_sums_each_month(client, server, tenant, other_tenant):
    await usage_records(server, tenant.key, [
        ("probe", 120.0, "second", _at("2025-03-01T00:00:00")),
        ("probe", 60.0, "second", _at("2025-03-31T23:59:59")),
        ("translation", 400, "character", _at("2025-03-10T12:00:00")),
        ("text_translation", 100, "character", _at("2025-03-11T12:00:00")),
        ("transcription", 90.0, "second", _at("2025-04-01T00:00:00")),
        ("video_analysis", 30.0, "second", _at("2025-04-02T00:00:00")),
        ("media_analysis", 5.0, "credit", _at("2025-04-02T00:00:00")),  # credits are not media minutes
        ("voice_over", 45.0, "second", _at("2025-04-03T00:00:00")),
        ("clip_render", 12.5, "second", _at("2025-04-04T00:00:00")),
        ("export", 10.0, "second", _at("2025-04-05T00:00:00")),
        ("timeline_export", 2.0, "second", _at("2025-04-05T00:00:00")),
        ("probe", 600.0, "second", _at("2025-05-01T00:00:00")),  # after `to`
    ])
    await usage_records(server, other_tenant.key, [("probe", 999.0, "second", _at("2025-03-15T00:00:00"))])
    got = await client.get("/v1/usages/historical", params={"from": "2025-02", "to": "2025-04"},
                           headers=bearer(tenant.key))
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["from"] == "2025-02" and body["to"] == "2025-04"
    february, march, april = body["data"]
    assert [m["month"] for m in body["data"]] == ["2025-02", "2025-03", "2025-04"]
    assert february["media_minutes_ingested"] == 0 and february["stored_bytes"] is None
    assert march["media_minutes_ingested"] == 3.0 and march["characters_translated"] == 500
    assert march["media_minutes_transcribed"] == 0
    assert april["media_minutes_transcribed"] == 1.5 and april["media_minutes_analysed"] == 0.5
    assert april["voice_over_minutes"] == 0.75 and april["rendered_clip_seconds"] == 12.5
    assert april["export_seconds"] == 12.0 and april["media_minutes_ingested"] == 0
    theirs = (await client.get("/v1/usages/historical", params={"from": "2025-03", "to": "2025-03-31"},
                               headers=bearer(other_tenant.key))).json()
    assert [m["media_minutes_ingested"] for m in theirs["data"]] == [16.65]
    for bad in ({"from": "March"}, {"from": "2025-13"}, {"from": "2025-05", "to": "2025-04"},
                {"from": "2020-01", "to": "2025-01"}):
        assert (await client.get("/v1/usages/historical", params=bad, headers=bearer(tenant.key))).status_code == 422
    default = (await client.get("/v1/usages/historical", headers=bearer(tenant.key))).json()
    assert len(default["data"]) == 12 and default["to"] == datetime.now(timezone.utc).strftime("%Y-%m")
    graph = await gql(client, tenant.key, """{ usage(from: "2025-04", to: "2025-04") {
        months { month voiceOverMinutes } currentMonth { month } } }""")
    assert graph["data"]["usage"]["months"] == [{"month": "2025-04", "voiceOverMinutes": 0.75}]

"""Timestamps as each document prints them, read the way its client would: UTC with `Z`; milliseconds in GraphQL,
MediaCopilot and MetaVision (2024-03-20T10:00:00.000Z), whole seconds in the AI Gateway and MediaPitch
(2024-03-15T10:00:00Z)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from tests.harness import gql
from tests.rest_compat.helpers import bearer

MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def read(value: str, form: re.Pattern, within: timedelta = timedelta(minutes=5)) -> datetime:
    """Parsed with the document's own pattern (strict strptime, as a generated client's format string would)."""
    assert form.match(value), value
    pattern = "%Y-%m-%dT%H:%M:%S.%fZ" if form is MILLIS else "%Y-%m-%dT%H:%M:%SZ"
    moment = datetime.strptime(value, pattern).replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - moment) < within, value  # UTC, not local time
    return moment


async def test_graphql_and_mediacopilot_print_utc_milliseconds_with_z(client, tenant):
    created = await client.post("/v1/assets", json={"filename": "a.mp4"}, headers=bearer(tenant.key))
    assert created.status_code == 201, created.text
    rest = created.json()["created_at"]
    read(rest, MILLIS)
    body = await gql(client, tenant.key, """query($id: ID!) { asset(id: $id) { createdAt } }""",
                     {"id": created.json()["id"]})
    assert body["data"]["asset"]["createdAt"] == rest  # one instant, one spelling, everywhere
    started = await client.post(f"/v1/assets/{created.json()['id']}/start_upload", json={"parts": 1},
                                headers=bearer(tenant.key))
    assert read(started.json()["expires_at"], MILLIS, timedelta(hours=2)) > read(rest, MILLIS)


async def test_the_ai_gateway_prints_whole_seconds_with_z(client, tenant):
    response = await client.post("/v1/translations", headers=bearer(tenant.key), json={"data": {
        "type": "translation-job", "attributes": {"input": {"type": "text", "content": "Good evening.",
                                                            "target_language": "es"}}}})
    assert response.status_code == 202, response.text
    attributes = response.json()["data"]["attributes"]
    read(attributes["created_at"], SECONDS)
    job_id = response.json()["data"]["id"]
    got = (await client.get(f"/v1/translations/{job_id}", headers=bearer(tenant.key))).json()
    assert got["data"]["attributes"]["created_at"] == attributes["created_at"]


async def test_metavision_prints_milliseconds_with_z(client, tenant, media_server, media):
    submitted = await client.post("/api/v1/analyze", headers=bearer(tenant.key), json={
        "media": f"{media_server}/{media['shots_mp4'].name}?v=ts", "media_type": "video", "categories": ["scenes"]})
    assert submitted.status_code == 202, submitted.text
    read(submitted.json()["created_at"], MILLIS)

"""MediaCopilot's pipeline analysis over HTTP: shots, faces, autocenter, sound descriptions and metadata appear
after the transcript, and can be read and (sound descriptions) deleted."""
from __future__ import annotations

import asyncio

from tests.harness import gql
from tests.media import SHOT_CUTS_MS
from tests.rest_compat.helpers import bearer, mc_upload, mc_wait_ready

JOBS = """query($id: ID!) { asset(id: $id) { jobs(kinds: [VIDEO_ANALYSIS]) { edges { node { status
  error { code message } } } } } }"""


async def test_the_pipeline_analyses_an_upload_after_its_transcript(client, tenant, other_tenant, media):
    key = tenant.key
    asset = await mc_upload(client, key, media["shots_mp4"])
    await mc_wait_ready(client, key, asset["id"])
    for _ in range(2400):
        edges = (await gql(client, key, JOBS, {"id": asset["id"]}))["data"]["asset"]["jobs"]["edges"]
        if edges and edges[0]["node"]["status"] in {"COMPLETED", "FAILED"}:
            break
        await asyncio.sleep(0.1)
    assert edges and edges[0]["node"]["status"] == "COMPLETED", edges
    base = f"/v1/assets/{asset['id']}"
    shots = (await client.get(f"{base}/camera_shoots", headers=bearer(key))).json()
    assert shots["total"] == 3
    assert all(abs(s["start_ms"] - cut) <= 100 for s, cut in zip(shots["data"][1:], SHOT_CUTS_MS))
    assert all(s["thumbnail_url"] for s in shots["data"])
    [face] = (await client.get(f"{base}/faces", headers=bearer(key))).json()["data"]
    assert face["crop_url"] and (await client.get(face["crop_url"])).headers["content-type"] == "image/jpeg"
    centre = (await client.get(f"{base}/autocenter", headers=bearer(key))).json()["data"]
    assert {c["scene"] for c in centre} == {0, 1, 2}
    sounds = (await client.get(f"{base}/sound_descriptions", headers=bearer(key))).json()["data"]
    assert "speech" in {s["kind"] for s in sounds}
    first = sounds[0]
    one = await client.get(f"{base}/sound_descriptions/{first['id']}", headers=bearer(key))
    assert one.json() == first
    foreign = await client.get(f"{base}/sound_descriptions/{first['id']}", headers=bearer(other_tenant.key))
    assert foreign.status_code == 404
    deleted = await client.delete(f"{base}/sound_descriptions/{first['id']}", headers=bearer(key))
    assert deleted.status_code == 200 and deleted.json() == {"id": first["id"], "deleted": True}
    gone = await client.get(f"{base}/sound_descriptions/{first['id']}", headers=bearer(key))
    assert gone.status_code == 404
    [metadata] = (await client.get(f"{base}/metadata", headers=bearer(key))).json()["data"]
    assert metadata["summary"] and metadata["sentiment"]["overall"] in {"positive", "neutral", "negative"}
    assert metadata["topics"]
    again = await client.get(f"{base}/metadata/{metadata['id']}", headers=bearer(key))
    assert again.json() == metadata
    assert metadata["classification"] == "3.1.1 News"  # "evening news", "city council", "budget"
    assert metadata["entities"]
    entity = metadata["entities"][0]
    found = (await client.get("/v1/assets", params={"classification": "3.1.1 News", "entities": entity,
                                                    "sentiment": metadata["sentiment"]["overall"].title()},
                              headers=bearer(key))).json()
    assert [a["id"] for a in found["data"]] == [asset["id"]]
    other = (await client.get("/v1/assets", params={"classification": "3.4 Sport"}, headers=bearer(key))).json()
    assert other["total"] == 0
    typed = (await gql(client, key, """query($id: ID!) { asset(id: $id) { analysis {
        scenes { index startMs endMs thumbnail { url } } faces { trackId fingerprint crop { url } instances { startMs } }
        autocenter { scene ms x y } soundDescriptions { id data } sentiment topics summary classification entities } } }""",
                       {"id": asset["id"]}))["data"]["asset"]["analysis"]
    assert [s["startMs"] for s in typed["scenes"]] == [s["start_ms"] for s in shots["data"]]
    assert typed["faces"][0]["crop"]["url"] and typed["classification"] == "3.1.1 News"
    assert len(typed["soundDescriptions"]) == len(sounds) - 1  # one was deleted

"""MediaCopilot dialect over HTTP: the full asset flow, paging, tracks, and its error shapes."""
from __future__ import annotations

import httpx

from tests.parts import padded
from tests.rest_compat.helpers import bearer, mc_upload, mc_wait_ready


async def test_create_upload_probe_get_list_delete(client, tenant, media):
    key = tenant.key
    source = padded(media["mp4"])  # two parts, each of at least 5 MiB as S3 requires
    finished = await mc_upload(client, key, source, parts=2, external_id="cam-7", mc_model="turbo")
    assert finished["status"] == "processing" and finished["probe_job_id"]
    ready = await mc_wait_ready(client, key, finished["id"])
    assert ready["status"] == "ready" and ready["duration_ms"] == 4000 and ready["mc_model"] == "turbo"
    assert ready["external_id"] == "cam-7" and ready["size"] == source.stat().st_size
    assert ready["media"] == {"container": "mov,mp4,m4a,3gp,3g2,mj2", "bitrate": ready["media"]["bitrate"],
                              "width": 320, "height": 240, "frame_rate": 25.0, "video_codec": "h264"}
    assert set(ready) >= {"id", "filename", "external_id", "status", "duration_ms", "created_at"}

    by_external = await client.get("/v1/external/assets/cam-7", headers=bearer(key))
    assert by_external.status_code == 200 and by_external.json()["id"] == ready["id"]

    tracks = (await client.get(f"/v1/assets/{ready['id']}/audio_tracks", headers=bearer(key))).json()
    assert tracks["total"] == 1 and tracks["page"] == 1 and tracks["items"] == 16
    track = tracks["data"][0]
    assert (track["codec"], track["channels"], track["sample_rate"], track["language"]) == ("aac", 2, 48000, "eng")
    one = await client.get(f"/v1/assets/{ready['id']}/audio_tracks/{track['id']}", headers=bearer(key))
    assert one.json() == track
    link = (await client.get(f"/v1/assets/{ready['id']}/audio_tracks/{track['id']}/download_url?expires_in=600",
                             headers=bearer(key))).json()
    assert link["content_type"] == "audio/mp4" and link["expires_in"] == 600
    async with httpx.AsyncClient() as anyone:
        audio = await anyone.get(link["download_url"])
    assert audio.status_code == 200 and audio.content[4:8] == b"ftyp"

    deleted = await client.delete(f"/v1/assets/{ready['id']}", headers=bearer(key))
    assert deleted.status_code == 200 and deleted.json() == {"id": ready["id"], "deleted": True}
    gone = await client.get(f"/v1/assets/{ready['id']}", headers=bearer(key))
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "NOT_FOUND"


async def test_list_pages_with_page_and_items(client, tenant):
    ids = []
    for n in range(5):
        made = await client.post("/v1/assets", json={"filename": f"f{n}.mp4"}, headers=bearer(tenant.key))
        ids.append(made.json()["id"])
    first = (await client.get("/v1/assets?items=2", headers=bearer(tenant.key))).json()
    assert (first["page"], first["items"], first["total"]) == (1, 2, 5)
    third = (await client.get("/v1/assets?items=2&page=3", headers=bearer(tenant.key))).json()
    assert [a["id"] for a in third["data"]] == [ids[0]]
    default = (await client.get("/v1/assets", headers=bearer(tenant.key))).json()
    assert default["items"] == 16 and [a["id"] for a in default["data"]] == list(reversed(ids))


async def test_finish_upload_accepts_a_comma_separated_string(client, tenant, media):
    made = (await client.post("/v1/assets", json={"filename": "t.wav"}, headers=bearer(tenant.key))).json()
    started = (await client.post(f"/v1/assets/{made['id']}/start_upload", json={}, headers=bearer(tenant.key))).json()
    assert len(started["parts"]) == 1 and started["parts"][0]["part_number"] == 1
    etag = (await client.put(started["parts"][0]["url"], content=media["wav"].read_bytes())).headers["etag"]
    done = await client.post(f"/v1/assets/{made['id']}/finish_upload", json={"etags": etag}, headers=bearer(tenant.key))
    assert done.status_code == 200 and done.json()["status"] == "processing"


async def test_error_shapes(client, tenant, other_tenant):
    key = tenant.key
    unauthenticated = await client.get("/v1/assets")
    assert unauthenticated.status_code == 401
    assert unauthenticated.json() == {"error": {"code": "UNAUTHENTICATED", "message": "a valid API key is required"}}
    malformed = await client.post("/v1/assets", content=b"{not json", headers={**bearer(key), "content-type": "application/json"})
    assert malformed.status_code == 400 and malformed.json()["error"]["code"] == "VALIDATION_FAILED"
    missing = await client.post("/v1/assets", json={}, headers=bearer(key))
    assert missing.status_code == 422 and missing.json()["error"]["field"] == ["filename"]
    wrong_type = await client.post("/v1/assets", json={"filename": 7}, headers=bearer(key))
    assert wrong_type.status_code == 422 and wrong_type.json()["error"]["field"] == ["filename"]
    # Unknown keys are ignored, as FastAPI does by default (README "Unknown body keys").
    unknown = await client.post("/v1/assets", json={"filename": "a", "colour": "red"}, headers=bearer(key))
    assert unknown.status_code == 201 and "colour" not in unknown.json()
    bad_model = await client.post("/v1/assets", json={"filename": "a", "mc_model": "fast"}, headers=bearer(key))
    assert bad_model.status_code == 422 and bad_model.json()["error"]["field"] == ["mc_model"]
    bad_page = await client.get("/v1/assets?page=0", headers=bearer(key))
    assert bad_page.status_code == 422 and bad_page.json()["error"]["field"] == ["page"]
    not_number = await client.get("/v1/assets?items=lots", headers=bearer(key))
    assert not_number.status_code == 422
    made = (await client.post("/v1/assets", json={"filename": "a", "external_id": "dup"}, headers=bearer(key))).json()
    conflict = await client.post("/v1/assets", json={"filename": "b", "external_id": "dup"}, headers=bearer(key))
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "CONFLICT"
    foreign = await client.get(f"/v1/assets/{made['id']}", headers=bearer(other_tenant.key))
    assert foreign.status_code == 404 and foreign.json()["error"]["code"] == "NOT_FOUND"
    bad_parts = await client.post(f"/v1/assets/{made['id']}/start_upload", json={"parts": 0}, headers=bearer(key))
    assert bad_parts.status_code == 422 and bad_parts.json()["error"]["field"] == ["input", "parts"]
    early = await client.post(f"/v1/assets/{made['id']}/finish_upload", json={"etags": ["x"]}, headers=bearer(key))
    assert early.status_code == 409
    huge = await client.post("/v1/assets", content=b"{" + b" " * 10_500_000 + b"}",
                             headers={**bearer(key), "content-type": "application/json"})
    assert huge.status_code == 413 and huge.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    nowhere = await client.get("/v1/nothing-here", headers=bearer(key))
    assert nowhere.status_code == 404 and nowhere.json()["error"]["code"] == "NOT_FOUND"
    wrong_method = await client.put("/v1/assets", headers=bearer(key))
    assert wrong_method.status_code == 405 and "error" in wrong_method.json()

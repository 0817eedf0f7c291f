"""Bad input to brandings, clips and exports answers a clear error naming the clip and field, queues nothing and
leaves no half-made result; credentials stay encrypted, never returned, and admin routes need an admin key."""
from __future__ import annotations

import asyncio
import uuid

import sqlalchemy as sa

from app import _create_key
from domain.db import make_engine
from tests.clips import upload_branding
from tests.rest_compat.helpers import bearer, mc_upload, mc_wait_ready
from tests.storages import container_sas


async def test_clip_requests_are_validated_all_or_nothing(client, tenant, other_tenant, media):
    key = tenant.key
    asset = await mc_upload(client, key, media["mp4"], parts=1)
    await mc_wait_ready(client, key, asset["id"])
    base = f"/v1/assets/{asset['id']}/video_clips"
    branding = (await client.post("/v1/brandings", json={"name": "Only vertical"}, headers=bearer(key))).json()
    assert (await client.post(f"/v1/brandings/{branding['id']}/variants", json={"aspect_ratio": "9:16"},
                              headers=bearer(key))).status_code == 201
    languages = (await client.get("/v1/languages", params={"items": 100}, headers=bearer(key))).json()["data"]
    german = next(lang["id"] for lang in languages if lang["code"].lower().startswith("de"))
    good = {"start_ms": 0, "end_ms": 1000}

    async def refused(clip: dict, status: int, code: str, field: str, words: str) -> None:
        answer = await client.post(base, json={"video_clips": [good, clip]}, headers=bearer(key))
        assert answer.status_code == status, answer.text
        error = answer.json()["error"]
        assert error["code"] == code and error["field"] == ["input", "clips", "1", field], error
        assert words in error["message"], error

    await refused({"start_ms": 2000, "end_ms": 2000}, 422, "VALIDATION_FAILED", "endMs", "after startMs")
    await refused({"start_ms": 1000, "end_ms": 60000}, 422, "VALIDATION_FAILED", "endMs", "past the media")
    await refused({"start_frame": 30, "end_frame": 10}, 422, "VALIDATION_FAILED", "endFrame", "after startFrame")
    await refused({**good, "branding_id": str(uuid.uuid4())}, 404, "NOT_FOUND", "brandingId", "branding")
    await refused({**good, "branding_id": branding["id"], "aspect_ratio_x": 1, "aspect_ratio_y": 1}, 422,
                  "BRANDING_VARIANT_MISSING", "brandingId", "1:1")
    await refused({**good, "subtitles_language_id": german}, 422, "VALIDATION_FAILED", "subtitlesLanguageId",
                  "German")
    await refused({**good, "aspect_ratio_x": 9, "aspect_ratio_y": 16, "mode": "fast"}, 422, "VALIDATION_FAILED",
                  "mode", "stream-copy")
    await refused({**good, "aspect_ratio_x": 2, "aspect_ratio_y": 1}, 422, "VALIDATION_FAILED", "aspectRatioX",
                  "9:16")
    listed = (await client.get(base, headers=bearer(key))).json()
    assert listed["total"] == 0  # one bad clip queued nothing
    missing = await client.post(base, json={"video_clips": [{"start_ms": 0}]}, headers=bearer(key))
    assert missing.status_code == 422 and missing.json()["error"]["field"] == ["input", "clips", "0", "endMs"]
    foreign = await client.post(base, json={"video_clips": [good]}, headers=bearer(other_tenant.key))
    assert foreign.status_code == 404
    not_ready = await client.post(f"{base}/download", json={"video_clip_ids": [str(uuid.uuid4())]},
                                  headers=bearer(key))
    assert not_ready.status_code == 404 and not_ready.json()["error"]["field"] == ["input", "clipIds", "0"]


async def test_branding_inputs_are_checked(client, tenant, media):
    key = tenant.key
    font = await client.post("/v1/branding_subtitle_styles", json={
        "name": "x", "font_family": "Comic Nonexistent", "text_color": "#FFFFFF"}, headers=bearer(key))
    assert font.status_code == 422 and "DejaVu Sans" in font.json()["error"]["message"]
    colour = await client.post("/v1/branding_subtitle_styles", json={
        "name": "x", "font_family": "DejaVu Sans", "text_color": "yellow"}, headers=bearer(key))
    assert colour.status_code == 422 and colour.json()["error"]["field"] == ["input", "text_color"]
    required = await client.post("/v1/branding_subtitle_styles", json={"name": "x", "font_family": "DejaVu Sans"},
                                 headers=bearer(key))
    assert required.status_code == 422 and "text_color" in required.json()["error"]["message"]
    size = await client.post("/v1/branding_subtitle_styles", json={
        "name": "x", "font_family": "DejaVu Sans", "text_color": "#000", "font_size_px": 0}, headers=bearer(key))
    assert size.status_code == 422 and size.json()["error"]["field"] == ["input", "font_size_px"]

    video_as_overlay, job = await upload_branding(client, key, "branding_overlays", media["mp4"], "Not an image")
    assert job["status"] == "failed" and job["error"]["code"] == "VALIDATION_FAILED"
    assert video_as_overlay["status"] == "failed" and "PNG or WebP" in video_as_overlay["error"]["message"]
    assert video_as_overlay["url"] is None
    image_as_clip, job = await upload_branding(client, key, "branding_clips", media["overlay_png"], "Not a video")
    assert job["status"] == "failed" and image_as_clip["status"] == "failed"
    assert "must be a video" in image_as_clip["error"]["message"]
    garbage, job = await upload_branding(client, key, "branding_overlays", media["not_media"], "Notes")
    assert job["status"] == "failed" and garbage["status"] == "failed"

    overlay, _ = await upload_branding(client, key, "branding_overlays", media["overlay_png"], "Logo")
    # A replacement that is refused leaves the validated file in use.
    started = await client.post(f"/v1/branding_overlays/{overlay['id']}/start_upload", json={}, headers=bearer(key))
    put = await client.put(started.json()["parts"][0]["url"], content=media["mp4"].read_bytes())
    finished = await client.post(f"/v1/branding_overlays/{overlay['id']}/finish_upload",
                                 json={"etags": put.headers["etag"]}, headers=bearer(key))
    job_id = finished.json()["upload_job_id"]
    for _ in range(600):
        job = (await client.get(f"/v1/branding_overlays/{overlay['id']}/upload_jobs/{job_id}",
                                headers=bearer(key))).json()
        if job["status"] in {"completed", "failed"}:
            break
        await asyncio.sleep(0.1)
    kept = (await client.get(f"/v1/branding_overlays/{overlay['id']}", headers=bearer(key))).json()
    assert job["status"] == "failed" and kept["status"] == "ready" and kept["width"] == 200
    assert kept["error"]["code"] == "VALIDATION_FAILED" and (await client.get(kept["url"])).status_code == 200
    branding = (await client.post("/v1/brandings", json={"name": "B"}, headers=bearer(key))).json()
    variants = f"/v1/brandings/{branding['id']}/variants"
    first = await client.post(variants, json={"aspect_ratio": "1:1", "overlay_id": overlay["id"]}, headers=bearer(key))
    assert first.status_code == 201
    again = await client.post(variants, json={"aspect_ratio": "1:1"}, headers=bearer(key))
    assert again.status_code == 409 and again.json()["error"]["code"] == "CONFLICT"
    wrong_kind = await client.post(variants, json={"aspect_ratio": "4:5", "intro_id": overlay["id"]},
                                   headers=bearer(key))
    assert wrong_kind.status_code == 404 and wrong_kind.json()["error"]["field"] == ["input", "intro_id"]
    bad_ratio = await client.post(variants, json={"aspect_ratio": "2:1"}, headers=bearer(key))
    assert bad_ratio.status_code == 422
    in_use = await client.delete(f"/v1/branding_overlays/{overlay['id']}", headers=bearer(key))
    assert in_use.status_code == 409
    patched = await client.patch(f"{variants}/{first.json()['id']}", json={"overlay_position": "bottom_right",
                                                                          "overlay_width_pct": 0.3},
                                 headers=bearer(key))
    assert patched.status_code == 200 and patched.json()["overlay_position"] == "bottom_right"
    assert (await client.delete(f"{variants}/{first.json()['id']}", headers=bearer(key))).status_code == 200
    assert (await client.delete(f"/v1/branding_overlays/{overlay['id']}", headers=bearer(key))).status_code == 200
    listed = (await client.get("/v1/brandings", headers=bearer(key))).json()
    assert [b["id"] for b in listed["data"]] == [branding["id"]] and listed["data"][0]["variants"] == []


async def test_external_storages_keep_credentials_secret(server, client, tenant, other_tenant, storages):
    key = tenant.key
    sas = container_sas("tenant-exports")
    made = await client.post("/v1/external_storages", json={
        "name": "Azure", "type": "azure", "destination": {"blob_url": f"{storages.azurite.account_url}/tenant-exports"},
        "authentication_data": {"sas_token": sas}}, headers=bearer(key))
    assert made.status_code == 201, made.text
    storage = made.json()
    assert sas not in made.text and storage["has_authentication_data"] is True
    assert storage["export_path"] is None and storage["destination"]["blob_url"].endswith("/tenant-exports")
    engine = make_engine(server.settings.database_url)
    async with engine.connect() as conn:
        stored = (await conn.execute(sa.text("select secret from external_storages where id = :id"),
                                     {"id": storage["id"] if "postgresql" in server.settings.database_url
                                      else uuid.UUID(storage["id"]).hex})).scalar_one()
    await engine.dispose()
    assert stored and sas not in stored and "sig" not in stored  # encrypted at rest

    for body, field in (({"name": "x", "type": "azure", "destination": {"blob_url": "http://127.0.0.1:1/c"}},
                         ["input", "authenticationData", "sas_token"]),
                        ({"name": "x", "type": "aws_s3", "destination": {"region": "eu-west-1"},
                          "authentication_data": {"iam_role_arn": "arn:aws:iam::1:role/r"}},
                         ["input", "destination", "bucket_name"]),
                        ({"name": "x", "type": "aws_s3", "destination": {"bucket_name": "b"}},
                         ["input", "authenticationData", "iam_role_arn"]),
                        ({"name": "x", "type": "gcp_storage", "destination": {"bucket_name": "b"},
                          "authentication_data": {"credentials": "{}"}},
                         ["input", "authenticationData", "credentials"]),
                        ({"name": "x", "type": "dummy", "export_path": "{asset_id}/{nope}"}, ["input", "exportPath"])):
        refused = await client.post("/v1/external_storages", json=body, headers=bearer(key))
        assert refused.status_code == 422 and refused.json()["error"]["field"] == field, refused.text
    unknown_type = await client.post("/v1/external_storages", json={"name": "x", "type": "ftp"}, headers=bearer(key))
    assert unknown_type.status_code == 422

    renamed = await client.patch(f"/v1/external_storages/{storage['id']}", json={"name": "Renamed",
                                                                                 "export_path": "clips/{asset_id}/"},
                                 headers=bearer(key))
    assert renamed.status_code == 200 and renamed.json()["has_authentication_data"] is True
    assert renamed.json()["export_path"] == "clips/{asset_id}/"
    hidden = await client.get(f"/v1/external_storages/{storage['id']}", headers=bearer(other_tenant.key))
    assert hidden.status_code == 404
    forbidden = await client.get("/v1/admin/external_storages", headers=bearer(key))
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "FORBIDDEN"
    admin = await _create_key(server.settings, f"admin-{uuid.uuid4().hex[:6]}", True)
    listed = (await client.get("/v1/admin/external_storages", params={"items": 100}, headers=bearer(admin))).json()
    mine = [s for s in listed["data"] if s["id"] == storage["id"]]
    assert mine and sas not in str(listed)
    one = await client.get(f"/v1/admin/external_storages/{storage['id']}", headers=bearer(admin))
    assert one.status_code == 200 and one.json()["name"] == "Renamed" and one.json()["tenant_id"]
    deleted = await client.delete(f"/v1/external_storages/{storage['id']}", headers=bearer(key))
    assert deleted.status_code == 200
    assert (await client.get(f"/v1/external_storages/{storage['id']}", headers=bearer(key))).status_code == 404

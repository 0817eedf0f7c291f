"""MediaCopilot clips over HTTP: a new user brands, subtitles and reframes a 9:16 clip that follows a moving face,
downloads it (alone and zipped, now and in the background) and exports it to S3; the output is probed and sampled."""
from __future__ import annotations

import asyncio
import io
import zipfile

import boto3
import numpy as np

from tests.clips import frame_at, picture_left, streams, upload_branding, wait_clips, wait_pipeline
from tests.rest_compat.helpers import bearer, mc_upload, mc_wait_ready

FRAME_S = 0.04  # one frame at 25 fps


async def english_id(client, key) -> str:
    languages = (await client.get("/v1/languages", params={"items": 100}, headers=bearer(key))).json()["data"]
    return next(lang["id"] for lang in languages if lang["code"].lower().startswith("en"))


async def test_a_branded_subtitled_vertical_clip_downloaded_and_exported(client, tenant, storages, media, tmp_path):
    key = tenant.key
    external_id = f"show-{tmp_path.name[-12:]}"
    asset = await mc_upload(client, key, media["face_mp4"], parts=1, external_id=external_id)
    await mc_wait_ready(client, key, asset["id"])
    await wait_pipeline(client, key, asset["id"])  # transcript first, then faces and autocenter
    base = f"/v1/assets/{asset['id']}"

    style = await client.post("/v1/branding_subtitle_styles", json={
        "name": "Bold yellow", "font_family": "dejavu sans", "text_color": "#ff0", "font_size_px": 80,
        "stroke_thickness_px": 4}, headers=bearer(key))
    assert style.status_code == 201, style.text
    style = style.json()
    assert style["font_family"] == "DejaVu Sans" and style["text_color"] == "#FFFF00"
    assert (style["font_weight"], style["line_height"], style["vertical_position_pct"], style["shadow_blur"],
            style["shadow_opacity_pct"], style["shadow_offset_x_px"], style["shadow_offset_y_px"],
            style["background_opacity"], style["stroke_color"]) == (600, 1.2, 0.1, 0.0, 1.0, 1, 1, 0.0, "#000000")

    overlay, job = await upload_branding(client, key, "branding_overlays", media["overlay_png"], "Logo")
    assert job["status"] == "completed" and overlay["status"] == "ready" and overlay["has_alpha"] is True
    assert (overlay["width"], overlay["height"]) == (200, 100) and overlay["url"]
    intro, _ = await upload_branding(client, key, "branding_clips", media["intro_mp4"], "Intro")
    outro, _ = await upload_branding(client, key, "branding_clips", media["outro_mp4"], "Outro")
    assert intro["status"] == outro["status"] == "ready"
    assert intro["has_audio"] is True and outro["has_audio"] is False and abs(outro["duration_ms"] - 1500) <= 40

    branding = (await client.post("/v1/brandings", json={"name": "Channel", "subtitle_style_id": style["id"]},
                                  headers=bearer(key))).json()
    variant = await client.post(f"/v1/brandings/{branding['id']}/variants", json={
        "aspect_ratio": "9:16", "overlay_id": overlay["id"], "intro_id": intro["id"], "outro_id": outro["id"],
        "overlay_position": "top_left"}, headers=bearer(key))
    assert variant.status_code == 201, variant.text
    got = (await client.get(f"/v1/brandings/{branding['id']}", headers=bearer(key))).json()
    assert [v["aspect_ratio"] for v in got["variants"]] == ["9:16"]

    english = await english_id(client, key)
    created = await client.post(f"{base}/video_clips", json={"video_clips": [
        {"start_ms": 1000, "end_ms": 4000, "aspect_ratio_x": 9, "aspect_ratio_y": 16, "autoframing": True,
         "branding_id": branding["id"], "subtitles_language_id": english},
        {"start_ms": 1000, "end_ms": 4000, "aspect_ratio_x": 9, "aspect_ratio_y": 16, "autoframing": True},
        {"start_ms": 2500, "end_ms": 4500, "mode": "fast"},
    ]}, headers=bearer(key))
    assert created.status_code == 201, created.text
    branded, plain, fast = created.json()["video_clips"]
    assert branded["status"] == "queued" and branded["job_id"] and branded["subtitles_language_id"] == english
    done = await wait_clips(client, key, asset["id"], [branded["id"], plain["id"], fast["id"]])
    branded, plain, fast = done[branded["id"]], done[plain["id"]], done[fast["id"]]
    assert {c["status"] for c in done.values()} == {"ready"}, done

    # The branded clip, downloaded: the mp4 itself.
    response = await client.post(f"{base}/video_clips/download", json={"video_clip_ids": [branded["id"]]},
                                 headers=bearer(key))
    assert response.status_code == 200 and response.headers["content-type"] == "video/mp4"
    branded_file = tmp_path / "branded.mp4"
    branded_file.write_bytes(response.content)
    assert len(response.content) == branded["size"]
    info = streams(branded_file)
    assert (info["video"]["width"], info["video"]["height"]) == (720, 1280)  # 9:16 from 720p: never upscaled
    total = (intro["duration_ms"] + 3000 + outro["duration_ms"]) / 1000  # intro + the range + outro
    assert abs(float(info["video"]["duration"]) - total) <= FRAME_S
    assert abs(float(info["video"]["duration"]) - float(info["audio"]["duration"])) <= 0.05
    assert (branded["options"]["intro_ms"], branded["options"]["outro_ms"]) == (intro["duration_ms"], outro["duration_ms"])
    assert branded["options"]["subtitle_style"] == "branding" and branded["options"]["subtitle_cues"] >= 1

    plain_file = tmp_path / "plain.mp4"
    plain_file.write_bytes((await client.get(plain["url"])).content)
    info = streams(plain_file)
    assert (info["video"]["width"], info["video"]["height"]) == (720, 1280)
    assert abs(float(info["video"]["duration"]) - 3.0) <= FRAME_S
    assert abs(float(info["video"]["duration"]) - float(info["audio"]["duration"])) <= 0.05

    # The intro, then the overlay where placed (top left, 4% margin of 720 px, 20% of the width).
    intro_frame = frame_at(branded_file, 0.5)
    assert intro_frame[640, 360][0] > 200 and intro_frame[640, 360][2] < 60  # blue, padded to 9:16
    main = frame_at(branded_file, 2.0)
    b, g, r = main[29 + 35, 29 + 72].astype(int)
    assert r > 200 and g < 60 and b < 60, (b, g, r)
    assert abs(int(frame_at(plain_file, 1.0)[64, 101][2]) - r) > 100  # the plain clip has no badge there
    outro_frame = frame_at(branded_file, 5.2)
    assert outro_frame[640, 360][1] > 100 and outro_frame[640, 360][2] < 60  # green

    # Burned subtitles: the lower part differs from the same frame without them while a cue shows.
    transcription = (await client.get(f"{base}/transcriptions", headers=bearer(key))).json()["data"][0]
    spoken = next(s for s in transcription["segments"] if s["end_ms"] > 1400 and s["start_ms"] < 3600)
    at = (max(spoken["start_ms"], 1000) + min(spoken["end_ms"], 4000)) / 2000 - 1.0
    with_subs = frame_at(branded_file, 1.0 + at)[900:1240].astype(int)
    without = frame_at(plain_file, at)[900:1240].astype(int)
    assert np.abs(with_subs - without).max(axis=2).__gt__(80).mean() > 0.01

    # The crop window follows the face across the frame: the picture holds still in the clip while it slides
    # 258 source pixels (460 output pixels) across the source in those 2.4 s.
    crop = plain["options"]["crop"]
    assert crop["follows"] == "autocenter" and plain["options"]["autoframing_source"] == "analysis", plain["options"]
    offsets = [p[1] for p in crop["path"]["points"]]
    assert offsets[-1] - offsets[0] > 150
    early, late = picture_left(frame_at(plain_file, 0.3), 700), picture_left(frame_at(plain_file, 2.7), 700)
    assert early is not None and late is not None and abs(early - late) < 80, (early, late)

    # A stream-copy cut: keyframe aligned and marked so.
    assert fast["options"]["stream_copy"] is True and fast["options"]["actual_start_ms"] == 2000
    assert fast["width"] == 1280 and 2500 <= fast["duration_ms"] <= 2800  # copied packets may run a few frames long

    # Several clips: a zip streamed as written; and the same in the background.
    zipped = await client.post(f"{base}/video_clips/download", json={"video_clip_ids": [branded["id"], plain["id"]]},
                               headers=bearer(key))
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert names == [f"clip-{branded['id']}.mp4", f"clip-{plain['id']}.mp4"]
    queued = await client.post(f"{base}/video_clips/download_async",
                               json={"video_clip_ids": f"{branded['id']},{plain['id']}"}, headers=bearer(key))
    assert queued.status_code == 201, queued.text
    for _ in range(600):
        job = (await client.get(f"{base}/video_clips/download_async/{queued.json()['id']}", headers=bearer(key))).json()
        if job["status"] in {"completed", "failed"}:
            break
        await asyncio.sleep(0.1)
    assert job["status"] == "completed" and job["download_url"], job
    archive = zipfile.ZipFile(io.BytesIO((await client.get(job["download_url"])).content))
    assert archive.getinfo(f"clip-{plain['id']}.mp4").file_size == plain["size"]

    # Export to the tenant's own bucket through an assumed role, now and in the background.
    bucket = f"exports-{tmp_path.name[-8:]}".lower().replace("_", "-")
    boto3.client("s3", endpoint_url=storages.s3_url, aws_access_key_id="x", aws_secret_access_key="x",
                 region_name="us-east-1").create_bucket(Bucket=bucket)
    storage = await client.post("/v1/external_storages", json={
        "name": "Our bucket", "type": "aws_s3", "export_path": "social/{asset_external_id}/{video_clip_id}.mp4",
        "destination": {"bucket_name": bucket, "region": "us-east-1", "endpoint_url": storages.s3_url},
        "authentication_data": {"iam_role_arn": "arn:aws:iam::123456789012:role/mediagraph"}}, headers=bearer(key))
    assert storage.status_code == 201, storage.text
    storage = storage.json()
    assert storage["has_authentication_data"] is True and "arn:aws" not in storage.__repr__()
    exported = await client.post(f"{base}/video_clips/{branded['id']}/export",
                                 json={"external_storage_id": storage["id"]}, headers=bearer(key))
    assert exported.status_code == 200, exported.text
    object_key = f"social/{external_id}/{branded['id']}.mp4"
    assert exported.json()["location"] == f"s3://{bucket}/{object_key}"
    s3 = boto3.client("s3", endpoint_url=storages.s3_url, aws_access_key_id="x", aws_secret_access_key="x",
                      region_name="us-east-1")
    assert s3.head_object(Bucket=bucket, Key=object_key)["ContentLength"] == branded["size"]
    later = await client.post(f"{base}/video_clips/{plain['id']}/async_export",
                              json={"external_storage_id": storage["id"]}, headers=bearer(key))
    assert later.status_code == 201, later.text
    for _ in range(600):
        job = (await client.get(f"{base}/video_clips/{plain['id']}/async_export/{later.json()['id']}",
                                headers=bearer(key))).json()
        if job["status"] in {"completed", "failed"}:
            break
        await asyncio.sleep(0.1)
    assert job["status"] == "completed" and job["result"]["key"] == f"social/{external_id}/{plain['id']}.mp4"
    wrong_clip = await client.get(f"{base}/video_clips/{branded['id']}/async_export/{later.json()['id']}",
                                  headers=bearer(key))
    assert wrong_clip.status_code == 404

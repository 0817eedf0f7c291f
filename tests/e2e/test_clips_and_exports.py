"""Clips and exports through GraphQL, and the subtitle and metadata exports (REST) on the same machinery: GCS with a
service-account key, Azure with a SAS token; a storage whose credentials fail leaves nothing behind."""
from __future__ import annotations

import asyncio
import json

from azure.storage.blob import BlobServiceClient
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage as gcs

from tests.clips import streams, wait_pipeline
from tests.harness import gql
from tests.rest_compat.helpers import bearer, mc_upload, mc_wait_ready
from tests.storages import AZURE_KEY, container_sas, service_account

CREATE = """mutation($input: CreateClipsInput!) { createClips(input: $input) {
  clips { id status startMs endMs startFrame endFrame aspectRatio mode } jobs { id kind }
  errors { field code message } } }"""
CLIPS = """query($id: ID!) { asset(id: $id) { clips { edges { node { id status durationMs width height size url options
  error { code message } subtitlesLanguage } } } } }"""
SAVE_STORAGE = """mutation($input: ExternalStorageInput!) { saveExternalStorage(input: $input) {
  externalStorage { id type hasAuthenticationData destination } errors { field code message } } }"""
EXPORT = """mutation($input: ExportInput!) { export(input: $input) { job { id status resultData
  error { code message } } errors { field code message } } }"""


async def test_clips_by_frames_and_exports_to_each_storage(client, tenant, storages, media, tmp_path):
    key = tenant.key
    asset = await mc_upload(client, key, media["speech_mp4"], parts=1)
    await mc_wait_ready(client, key, asset["id"])
    await wait_pipeline(client, key, asset["id"])
    suffix = tmp_path.name[-10:].lower().replace("_", "-")
    english = next(lang["id"] for lang in (await client.get("/v1/languages", params={"items": 100},
                                                            headers=bearer(key))).json()["data"]
                   if lang["code"].lower().startswith("en"))

    made = (await gql(client, key, CREATE, {"input": {"assetId": asset["id"], "clips": [
        {"startFrame": 25, "endFrame": 75, "aspectRatioX": 1, "aspectRatioY": 1, "subtitlesLanguageId": english,
         "withSoundDescriptions": True}]}}))["data"]["createClips"]
    assert made["errors"] == [] and made["jobs"][0]["kind"] == "CLIP_RENDER"
    clip = made["clips"][0]
    assert (clip["startMs"], clip["endMs"], clip["aspectRatio"], clip["mode"]) == (1000, 3000, "1:1", "ACCURATE")
    for _ in range(1200):
        edges = (await gql(client, key, CLIPS, {"id": asset["id"]}))["data"]["asset"]["clips"]["edges"]
        [found] = [e["node"] for e in edges]
        if found["status"] in {"READY", "FAILED"}:
            break
        await asyncio.sleep(0.1)
    assert found["status"] == "READY", found
    assert (found["width"], found["height"]) == (240, 240) and found["subtitlesLanguage"].startswith("en")
    assert found["options"]["subtitle_style"] == "default" and found["options"]["subtitle_cues"] >= 1
    path = tmp_path / "square.mp4"
    path.write_bytes((await client.get(found["url"])).content)
    info = streams(path)
    assert abs(float(info["video"]["duration"]) - 2.0) <= 0.04
    assert abs(float(info["video"]["duration"]) - float(info["audio"]["duration"])) <= 0.05

    # Azure: one storage whose token may only read (its export fails), one that may write.
    service = BlobServiceClient(storages.azurite.account_url,
                                credential={"account_name": "devstoreaccount1", "account_key": AZURE_KEY})
    container = f"c-{suffix}"
    service.create_container(container)
    blob_url = f"{storages.azurite.account_url}/{container}"

    async def save(input_: dict) -> dict:
        saved = (await gql(client, key, SAVE_STORAGE, {"input": input_}))["data"]["saveExternalStorage"]
        assert saved["errors"] == [], saved
        return saved["externalStorage"]

    read_only = await save({"name": "Read only", "type": "AZURE", "destination": {"blob_url": blob_url},
                            "authenticationData": {"sas_token": container_sas(container, write=False)}})
    writable = await save({"name": "Writable", "type": "AZURE", "destination": {"blob_url": blob_url},
                           "exportPath": "{asset_id}/", "authenticationData": {"sas_token": container_sas(container)}})
    failed = (await gql(client, key, EXPORT, {"input": {"assetId": asset["id"], "externalStorageId": read_only["id"],
                                                        "videoClipId": found["id"], "wait": True}}))["data"]["export"]
    assert failed["job"]["status"] == "FAILED" and failed["job"]["error"]["code"] == "EXPORT_FAILED"
    assert "Read only" in failed["job"]["error"]["message"] and "sig=" not in failed["job"]["error"]["message"]
    assert list(service.get_container_client(container).list_blobs()) == []  # nothing half-written
    done = (await gql(client, key, EXPORT, {"input": {"assetId": asset["id"], "externalStorageId": writable["id"],
                                                      "videoClipId": found["id"], "wait": True}}))["data"]["export"]
    assert done["job"]["status"] == "COMPLETED", done
    assert done["job"]["resultData"]["key"] == f"{asset['id']}/{found['id']}.mp4"
    assert service.get_blob_client(container, f"{asset['id']}/{found['id']}.mp4").get_blob_properties().size == \
        found["size"]

    # The subtitle export (REST) to GCS through a service-account key.
    admin = gcs.Client(project="test", credentials=AnonymousCredentials(),
                       client_options={"api_endpoint": storages.gcs_url})
    bucket = f"subs-{suffix}"
    admin.create_bucket(bucket)
    google = await save({"name": "GCS", "type": "GCP_STORAGE", "destination": {"bucket_name": bucket},
                         "exportPath": "subtitles/{asset_external_id}/",
                         "authenticationData": {"credentials": json.dumps(service_account(storages.tokens.token_uri))}})
    assert google["hasAuthenticationData"]
    transcription = (await client.get(f"/v1/assets/{asset['id']}/transcriptions", headers=bearer(key))).json()["data"][0]
    base = f"/v1/assets/{asset['id']}"
    for fmt, marker in (("vtt", "WEBVTT"), ("srt", "-->"), ("json", '"segments"')):
        exported = await client.post(f"{base}/transcriptions/{transcription['id']}/{fmt}/export",
                                     json={"external_storage_id": google["id"]}, headers=bearer(key))
        assert exported.status_code == 200, exported.text
        object_key = exported.json()["key"]
        assert object_key.startswith(f"subtitles/{asset['id']}/") and object_key.endswith(f".{fmt}")
        assert marker in admin.bucket(bucket).blob(object_key).download_as_text()
    stl = await client.post(f"{base}/transcriptions/{transcription['id']}/stl/export",
                            json={"external_storage_id": google["id"]}, headers=bearer(key))
    assert stl.status_code == 200 and admin.bucket(bucket).blob(stl.json()["key"]).download_as_bytes()[3:6] == b"STL"

    # The metadata document (REST) to Azure, and to a dummy storage that records without writing.
    [metadata] = (await client.get(f"{base}/metadata", headers=bearer(key))).json()["data"]
    exported = await client.post(f"{base}/metadata/{metadata['id']}/json/export",
                                 json={"external_storage_id": writable["id"]}, headers=bearer(key))
    assert exported.status_code == 200, exported.text
    document = json.loads(service.get_blob_client(container, exported.json()["key"]).download_blob().readall())
    assert document["id"] == metadata["id"] and "summary" in document
    dummy = await save({"name": "Dry run", "type": "DUMMY"})
    dry = await client.post(f"{base}/metadata/{metadata['id']}/json/export", json={"external_storage_id": dummy["id"]},
                            headers=bearer(key))
    assert dry.status_code == 200 and dry.json()["written"] is False and dry.json()["location"].startswith("dummy://")
    refused = await client.post(f"{base}/video_clips/{found['id']}/export", json={"external_storage_id": read_only["id"]},
                                headers=bearer(key))
    assert refused.status_code == 502 and refused.json()["error"]["code"] == "EXPORT_FAILED"
    assert refused.json()["error"]["field"] == ["external_storage_id"]

"""The ExternalId of role-assuming S3 exports: made by the server per tenant, shown in the storage's settings
(GraphQL and MediaCopilot REST), never chosen by the tenant, and the one STS receives."""
from __future__ import annotations

import asyncio
import random

import boto3
from moto.sts.models import sts_backends

from tests.flows import ready_asset
from tests.harness import gql
from tests.rest_compat.helpers import bearer

SAVE = """mutation($input: ExternalStorageInput!) { saveExternalStorage(input: $input) {
  externalStorage { id type externalId } errors { field code message } } }"""
TRANSCRIBE = """mutation($input: TranscribeInput!) { transcribe(input: $input) { job { id } errors { code } } }"""
JOB = """query($id: ID!) { job(id: $id) { status resultData error { code message } } }"""
EXPORT = """mutation($input: ExportInput!) { export(input: $input) { job { id status resultData
  error { code message } } errors { field code message } } }"""


async def _finished(client, key, job_id) -> dict:
    for _ in range(1200):
        job = (await gql(client, key, JOB, {"id": job_id}))["data"]["job"]
        if job["status"] in {"COMPLETED", "FAILED"}:
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


async def test_the_external_id_shown_is_the_one_sts_receives(client, tenant, other_tenant, storages, media, tmp_path):
    account = str(random.randrange(10**11, 10**12))  # an account of this test's own in moto's STS records
    role = f"arn:aws:iam::{account}:role/mediagraph-export"
    bucket = f"ext-{tmp_path.name[-10:].lower().replace('_', '-')}"
    boto3.client("s3", endpoint_url=storages.s3_url, aws_access_key_id="x", aws_secret_access_key="x",
                 region_name="us-east-1").create_bucket(Bucket=bucket)
    destination = {"bucket_name": bucket, "region": "us-east-1", "endpoint_url": storages.s3_url}

    chosen = (await gql(client, tenant.key, SAVE, {"input": {"name": "Chosen", "type": "AWS_S3",
              "destination": destination, "authenticationData": {"iam_role_arn": role, "external_id": "mine"}}}))
    [error] = chosen["data"]["saveExternalStorage"]["errors"]
    assert error["code"] == "VALIDATION_FAILED" and error["field"] == ["input", "authenticationData", "external_id"]

    saved = (await gql(client, tenant.key, SAVE, {"input": {"name": "Role", "type": "AWS_S3",
                                                            "destination": destination,
                                                            "authenticationData": {"iam_role_arn": role}}}))
    storage = saved["data"]["saveExternalStorage"]["externalStorage"]
    shown = storage["externalId"]
    assert len(shown) == 32 and int(shown, 16) >= 0
    row = (await client.get(f"/v1/external_storages/{storage['id']}", headers=bearer(tenant.key))).json()
    assert row["external_id"] == shown
    again = (await gql(client, tenant.key, SAVE, {"input": {"name": "Second", "type": "AWS_S3",
                                                            "destination": destination,
                                                            "authenticationData": {"iam_role_arn": role}}}))
    assert again["data"]["saveExternalStorage"]["externalStorage"]["externalId"] == shown  # one per tenant
    theirs = (await gql(client, other_tenant.key, SAVE, {"input": {"name": "Theirs", "type": "AWS_S3",
              "destination": destination, "authenticationData": {"iam_role_arn": role}}}))
    assert theirs["data"]["saveExternalStorage"]["externalStorage"]["externalId"] not in (None, shown)
    other = (await gql(client, tenant.key, SAVE, {"input": {"name": "Dry", "type": "DUMMY"}}))
    assert other["data"]["saveExternalStorage"]["externalStorage"]["externalId"] is None

    asset = await ready_asset(client, tenant.key, media["wav"])
    made = (await gql(client, tenant.key, TRANSCRIBE, {"input": {"assetId": asset["id"]}}))["data"]["transcribe"]
    transcription = (await _finished(client, tenant.key, made["job"]["id"]))["resultData"]["transcription_id"]
    exported = (await gql(client, tenant.key, EXPORT, {"input": {
        "assetId": asset["id"], "externalStorageId": storage["id"], "transcriptionId": transcription, "format": "SRT",
        "wait": True}}))["data"]["export"]
    job = exported["job"] if exported["job"]["status"] != "QUEUED" else await _finished(client, tenant.key,
                                                                                          exported["job"]["id"])
    assert job["status"] == "COMPLETED", job
    received = [r.external_id for r in sts_backends[account]["aws"].assumed_roles if r.role_arn == role]
    assert received == [shown]

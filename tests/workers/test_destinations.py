"""Each external-storage type writes through its real SDK to an emulator on 127.0.0.1; refusals become EXPORT_FAILED."""
from __future__ import annotations

import boto3
import pytest

from domain.errors import DomainError
from domain.settings import Settings
from tests.storages import container_sas, service_account
from workers.engines import destinations


@pytest.fixture(scope="module")
def settings(storages, tmp_path_factory):
    return Settings.from_env({"DATA_DIR": str(tmp_path_factory.mktemp("dest")), **storages.env()})


@pytest.fixture
def payload(tmp_path):
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"mp4-bytes" * 1000)
    return path


def s3(storages):
    return boto3.client("s3", endpoint_url=storages.s3_url, aws_access_key_id="x", aws_secret_access_key="x",
                        region_name="us-east-1")


async def test_s3_with_an_assumed_role_and_with_keys(storages, settings, payload):
    s3(storages).create_bucket(Bucket="exports-role")
    destination = {"bucket_name": "exports-role", "region": "us-east-1", "endpoint_url": storages.s3_url}
    written = await destinations.write("mine", "aws_s3", destination,
                                       {"iam_role_arn": "arn:aws:iam::123456789012:role/mediagraph-export"},
                                       settings, "a/b/clip.mp4", payload, "video/mp4")
    assert written.location == "s3://exports-role/a/b/clip.mp4" and written.size == payload.stat().st_size
    stored = s3(storages).get_object(Bucket="exports-role", Key="a/b/clip.mp4")
    assert stored["Body"].read() == payload.read_bytes() and stored["ContentType"] == "video/mp4"
    written = await destinations.write("mine", "aws_s3", destination,
                                       {"access_key_id": "AKIA", "secret_access_key": "secret"}, settings,
                                       "keys.mp4", payload, "video/mp4")
    assert written.written
    with pytest.raises(DomainError) as failed:
        await destinations.write("gone", "aws_s3", {**destination, "bucket_name": "no-such-bucket"},
                                 {"access_key_id": "AKIA", "secret_access_key": "secret"}, settings, "x.mp4", payload,
                                 "video/mp4")
    assert failed.value.code.value == "EXPORT_FAILED" and "NoSuchBucket" in failed.value.message


async def test_azure_with_a_sas_token_and_a_refused_one(storages, settings, payload):
    from azure.storage.blob import BlobServiceClient

    from tests.storages import AZURE_KEY

    service = BlobServiceClient(storages.azurite.account_url, credential={"account_name": "devstoreaccount1",
                                                                          "account_key": AZURE_KEY})
    service.create_container("exports")
    destination = {"blob_url": f"{storages.azurite.account_url}/exports"}
    written = await destinations.write("az", "azure", destination, {"sas_token": container_sas("exports")}, settings,
                                       "x/clip.mp4", payload, "video/mp4")
    assert written.location == f"{storages.azurite.account_url}/exports/x/clip.mp4"
    blob = service.get_blob_client("exports", "x/clip.mp4")
    assert blob.download_blob().readall() == payload.read_bytes()
    assert blob.get_blob_properties().content_settings.content_type == "video/mp4"
    with pytest.raises(DomainError) as failed:
        await destinations.write("az", "azure", destination, {"sas_token": container_sas("exports", write=False)},
                                 settings, "y/clip.mp4", payload, "video/mp4")
    assert failed.value.code.value == "EXPORT_FAILED" and "sig=" not in failed.value.message
    assert "AuthorizationPermissionMismatch" in failed.value.message or "Authorization" in failed.value.message


async def test_gcs_with_a_service_account_key(storages, settings, payload):
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    admin = storage.Client(project="test", credentials=AnonymousCredentials(),
                           client_options={"api_endpoint": storages.gcs_url})
    admin.create_bucket("gcs-exports")
    key = service_account(storages.tokens.token_uri)
    written = await destinations.write("g", "gcp_storage", {"bucket_name": "gcs-exports"}, {"credentials": key},
                                       settings, "p/clip.mp4", payload, "video/mp4")
    assert written.location == "gs://gcs-exports/p/clip.mp4"
    assert admin.bucket("gcs-exports").blob("p/clip.mp4").download_as_bytes() == payload.read_bytes()
    assert any("assertion=" in grant for grant in storages.tokens.grants)  # the JWT grant went to the token_uri


async def test_dummy_writes_nothing(settings, payload):
    written = await destinations.write("d", "dummy", {}, {}, settings, "k/clip.mp4", payload, "video/mp4")
    assert not written.written and written.location == "dummy://k/clip.mp4"

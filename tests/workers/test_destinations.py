"""Each external-storage type writes through its real SDK to an emulator on 127.0.0.1; refusals become EXPORT_FAILED.
The tenant's endpoints are vetted again at export time and connected to at the vetted address, no SDK follows a
redirect, and an assumed role always gets the server's ExternalId."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest
from moto.sts.models import sts_backends

from domain.errors import DomainError
from domain.settings import Settings
from tests.storages import container_sas, service_account
from workers.engines import destinations


@pytest.fixture(scope="module")
def settings(storages, tmp_path_factory):
    """The emulators listen on 127.0.0.1: private addresses are allowed, as in every test server."""
    return Settings.from_env({"DATA_DIR": str(tmp_path_factory.mktemp("dest")), "ALLOW_PRIVATE_URLS": "true",
                              **storages.env()})


@pytest.fixture(scope="module")
def strict(storages, tmp_path_factory):
    """The production default: tenant endpoints must be public."""
    return Settings.from_env({"DATA_DIR": str(tmp_path_factory.mktemp("strict")), **storages.env()})


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
                                       settings, "a/b/clip.mp4", payload, "video/mp4", external_id="ext-1")
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


ROLE = "arn:aws:iam::210987654321:role/export-with-external-id"


async def test_an_assumed_role_always_gets_the_servers_external_id(storages, settings, payload):
    """A stored, tenant-chosen external_id (rows from before it was refused) is never sent: the server's is."""
    s3(storages).create_bucket(Bucket="exports-external-id")
    destination = {"bucket_name": "exports-external-id", "region": "us-east-1", "endpoint_url": storages.s3_url}
    await destinations.write("mine", "aws_s3", destination, {"iam_role_arn": ROLE, "external_id": "tenant-chosen"},
                             settings, "x.mp4", payload, "video/mp4", external_id="server-made-0123")
    [assumed] = [r for r in sts_backends["210987654321"]["aws"].assumed_roles if r.role_arn == ROLE]
    assert assumed.external_id == "server-made-0123"
    with pytest.raises(DomainError):  # no role is assumed without one
        await destinations.write("mine", "aws_s3", destination, {"iam_role_arn": ROLE}, settings, "y.mp4", payload,
                                 "video/mp4")
    assert len([r for r in sts_backends["210987654321"]["aws"].assumed_roles if r.role_arn == ROLE]) == 1


class Answers:
    """A DNS answering every lookup with `addresses` and recording the names asked."""

    def __init__(self, *addresses: str):
        self.addresses, self.lookups = list(addresses), []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        return self.addresses


def _storages(storages, container: str, bucket: str) -> dict:
    """Each type's destination and credentials, the tenant's endpoint on the emulator at 127.0.0.1."""
    return {"aws_s3": ({"bucket_name": bucket, "region": "us-east-1", "endpoint_url": storages.s3_url},
                       {"access_key_id": "AKIA", "secret_access_key": "secret"}, ["destination", "endpoint_url"]),
            "azure": ({"blob_url": f"{storages.azurite.account_url}/{container}"},
                      {"sas_token": container_sas(container)}, ["destination", "blob_url"]),
            "gcp_storage": ({"bucket_name": bucket}, {"credentials": service_account(storages.tokens.token_uri)},
                            ["authentication_data", "credentials", "token_uri"])}


@pytest.mark.parametrize("kind", ["aws_s3", "azure", "gcp_storage"])
async def test_endpoints_are_checked_again_at_export_time(storages, strict, payload, kind):
    """Saved when they resolved publicly; at export the host answers a private address: the export fails, naming
    the field, before the SDK connects."""
    destination, auth, field = _storages(storages, "recheck", "recheck")[kind]
    for resolver in (None, Answers("10.1.2.3")):  # a literal loopback address, then a name now answering private
        grants = len(storages.tokens.grants)
        with pytest.raises(DomainError) as refused:
            await destinations.write("saved", kind, destination, auth, strict, "k.mp4", payload, "video/mp4",
                                     resolver=resolver)
        assert refused.value.code.value == "EXPORT_FAILED" and refused.value.field == field
        assert ".".join(field) in refused.value.message and "private" in refused.value.message
        assert len(storages.tokens.grants) == grants  # not even the token endpoint was asked


async def test_each_sdk_connects_to_the_vetted_address(storages, settings, payload):
    """The tenant's host names exist only in the test's DNS (moto reads a dotless host as path-style S3): each SDK
    reaches its emulator only through the pin, and
    each name is looked up once, by the guard."""
    from azure.storage.blob import BlobServiceClient
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    from tests.storages import AZURE_KEY

    def renamed(url: str, name: str) -> str:
        return url.replace("127.0.0.1", name)

    s3(storages).create_bucket(Bucket="pinned")
    dns = Answers("127.0.0.1")
    await destinations.write("s3", "aws_s3", {"bucket_name": "pinned", "endpoint_url": renamed(storages.s3_url,
                             "tenant-s3")}, {"access_key_id": "AKIA", "secret_access_key": "secret"}, settings,
                             "pinned.mp4", payload, "video/mp4", resolver=dns)
    assert s3(storages).get_object(Bucket="pinned", Key="pinned.mp4")["Body"].read() == payload.read_bytes()
    assert dns.lookups == ["tenant-s3"]

    BlobServiceClient(storages.azurite.account_url, credential={"account_name": "devstoreaccount1",
                                                                "account_key": AZURE_KEY}).create_container("pinned")
    dns = Answers("127.0.0.1")
    blob_url = renamed(f"{storages.azurite.account_url}/pinned", "tenant-blob")
    written = await destinations.write("az", "azure", {"blob_url": blob_url}, {"sas_token": container_sas("pinned")},
                                       settings, "pinned.mp4", payload, "video/mp4", resolver=dns)
    assert written.written and dns.lookups == ["tenant-blob"]

    admin = storage.Client(project="test", credentials=AnonymousCredentials(),
                           client_options={"api_endpoint": storages.gcs_url})
    admin.create_bucket("gcs-pinned")
    dns = Answers("127.0.0.1")
    grants = len(storages.tokens.grants)
    key = service_account(renamed(storages.tokens.token_uri, "tenant-token"))
    await destinations.write("g", "gcp_storage", {"bucket_name": "gcs-pinned"}, {"credentials": key}, settings,
                             "pinned.mp4", payload, "video/mp4", resolver=dns)
    assert admin.bucket("gcs-pinned").blob("pinned.mp4").download_as_bytes() == payload.read_bytes()
    assert dns.lookups == ["tenant-token"] and len(storages.tokens.grants) > grants


class Redirector:
    """Answers every request with 307 to `target`, which records what reaches it (nothing should)."""

    def __init__(self):
        reached = self.reached = []

        class Target(BaseHTTPRequestHandler):
            def _any(self):
                reached.append((self.command, self.path))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            do_GET = do_PUT = do_POST = do_HEAD = _any

            def log_message(self, *args):
                pass

        self.target = ThreadingHTTPServer(("127.0.0.1", 0), Target)
        target = f"http://127.0.0.1:{self.target.server_address[1]}"

        class Redirect(BaseHTTPRequestHandler):
            def _any(self):  # the body is never read (a PUT may wait for 100-continue); HTTP/1.0 closes after
                self.send_response(307)
                self.send_header("location", target + self.path)
                self.send_header("content-length", "0")
                self.end_headers()

            do_GET = do_PUT = do_POST = do_HEAD = _any

            def log_message(self, *args):
                pass

        self.redirect = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
        self.url = f"http://127.0.0.1:{self.redirect.server_address[1]}"
        for server in (self.target, self.redirect):
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self):
        for server in (self.target, self.redirect):
            server.shutdown()
            server.server_close()


@pytest.fixture
def redirector():
    made = Redirector()
    yield made
    made.stop()


@pytest.mark.parametrize("kind", ["aws_s3", "azure", "gcp_storage"])
async def test_no_sdk_follows_a_redirect(storages, settings, payload, redirector, kind):
    destination, auth, _ = _storages(storages, "redirected", "redirected")[kind]
    if kind == "aws_s3":
        destination = {**destination, "endpoint_url": redirector.url}
    elif kind == "azure":
        destination = {"blob_url": f"{redirector.url}/devstoreaccount1/redirected"}
    else:
        auth = {"credentials": service_account(f"{redirector.url}/token")}
    with pytest.raises(DomainError) as failed:
        await destinations.write("moved", kind, destination, auth, settings, "k.mp4", payload, "video/mp4")
    assert failed.value.code.value == "EXPORT_FAILED"
    assert redirector.reached == []

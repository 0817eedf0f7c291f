"""Writing one exported file to a tenant's external storage through that storage's own SDK:
aioboto3 for S3 (an assumed IAM role or access keys), azure-storage-blob with a SAS token, google-cloud-storage with a
service-account key; `dummy` records the export and writes nothing."""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

import aioboto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from domain.errors import DomainError, ErrorCode

CONFIG = Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 3},
                connect_timeout=10, read_timeout=60)


@dataclass(frozen=True)
class Written:
    location: str  # s3://bucket/key, the blob URL without its token, gs://bucket/key, dummy://key
    key: str
    size: int
    written: bool = True


_TOKENS = re.compile(r"(sig|signature|token|X-Amz-[A-Za-z-]+)=[^&\s'\"]+", re.IGNORECASE)


def _failed(name: str, reason: str) -> DomainError:
    reason = _TOKENS.sub(r"\1=***", reason)  # SDK messages may quote a URL with its SAS signature
    return DomainError(f"export to external storage {name!r} failed: {reason}", code=ErrorCode.EXPORT_FAILED,
                       field=["input", "externalStorageId"])


async def _s3_session(destination: dict, auth: dict, settings) -> aioboto3.Session:
    region = destination.get("region") or "us-east-1"
    if auth.get("access_key_id"):
        return aioboto3.Session(aws_access_key_id=auth["access_key_id"],
                                aws_secret_access_key=auth["secret_access_key"], region_name=region)
    # The deployment's own credentials (environment, instance profile) assume the customer's role.
    deployment = aioboto3.Session(aws_access_key_id=settings.aws_access_key_id,
                                  aws_secret_access_key=settings.aws_secret_access_key, region_name=region)
    async with deployment.client("sts", endpoint_url=settings.export_sts_endpoint_url, config=CONFIG) as sts:
        params = {"RoleArn": auth["iam_role_arn"], "RoleSessionName": "mediagraph-export", "DurationSeconds": 900}
        if auth.get("external_id"):
            params["ExternalId"] = auth["external_id"]
        granted = (await sts.assume_role(**params))["Credentials"]
    return aioboto3.Session(aws_access_key_id=granted["AccessKeyId"], aws_secret_access_key=granted["SecretAccessKey"],
                            aws_session_token=granted["SessionToken"], region_name=region)


async def _s3(destination: dict, auth: dict, settings, key: str, path: Path, content_type: str) -> Written:
    session = await _s3_session(destination, auth, settings)
    bucket = destination["bucket_name"]
    async with session.client("s3", endpoint_url=destination.get("endpoint_url") or None, config=CONFIG) as s3:
        await s3.upload_file(str(path), bucket, key, ExtraArgs={"ContentType": content_type})
    return Written(f"s3://{bucket}/{key}", key, path.stat().st_size)


async def _azure(destination: dict, auth: dict, key: str, path: Path, content_type: str) -> Written:
    from azure.storage.blob import ContentSettings
    from azure.storage.blob.aio import ContainerClient

    container_url = destination["blob_url"].rstrip("/")
    async with ContainerClient.from_container_url(f"{container_url}?{auth['sas_token']}") as container:
        with path.open("rb") as data:
            await container.upload_blob(key, data, overwrite=True, length=path.stat().st_size,
                                        content_settings=ContentSettings(content_type=content_type), max_concurrency=4)
    return Written(f"{container_url}/{key}", key, path.stat().st_size)


def _gcs(destination: dict, auth: dict, settings, key: str, path: Path, content_type: str) -> Written:
    from google.cloud import storage
    from google.oauth2 import service_account

    info = auth["credentials"]
    credentials = service_account.Credentials.from_service_account_info(
        info, scopes=["https://www.googleapis.com/auth/devstorage.read_write"])
    options = {"api_endpoint": settings.gcs_endpoint_url} if settings.gcs_endpoint_url else None
    client = storage.Client(project=info.get("project_id") or "mediagraph", credentials=credentials,
                            client_options=options)
    blob = client.bucket(destination["bucket_name"]).blob(key)
    blob.upload_from_filename(str(path), content_type=content_type, timeout=120)
    return Written(f"gs://{destination['bucket_name']}/{key}", key, path.stat().st_size)


async def write(name: str, kind: str, destination: dict, auth: dict, settings, key: str, path: Path,
                content_type: str) -> Written:
    """Any refusal (credentials, permissions, a missing bucket, an unreachable endpoint) becomes EXPORT_FAILED."""
    try:
        if kind == "aws_s3":
            return await _s3(destination, auth, settings, key, path, content_type)
        if kind == "azure":
            return await _azure(destination, auth, key, path, content_type)
        if kind == "gcp_storage":
            return await asyncio.to_thread(_gcs, destination, auth, settings, key, path, content_type)
        return Written(f"dummy://{key}", key, path.stat().st_size, written=False)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise _failed(name, f"{error.get('Code', 'error')}: {error.get('Message', '')}".strip(": ")) from exc
    except BotoCoreError as exc:
        raise _failed(name, type(exc).__name__) from exc
    except DomainError:
        raise
    except Exception as exc:  # the Azure and Google SDKs raise their own families; their names say enough
        reason = getattr(exc, "error_code", None) or getattr(exc, "reason", None) or type(exc).__name__
        message = str(getattr(exc, "message", "") or "").splitlines()[0:1]
        raise _failed(name, f"{reason}{': ' + message[0] if message and message[0] else ''}") from exc

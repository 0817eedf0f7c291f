"""S3 storage through aioboto3: real presigned multipart uploads, streamed transfers, presigned GETs."""
from __future__ import annotations

import time
import uuid
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path

import aioboto3
from botocore.config import Config
from botocore.exceptions import ClientError

from domain.errors import ValidationFailed
from domain.ports import MultipartUpload
from domain.storage import parts as rules
from domain.storage import serving
from domain.storage.errors import UploadGone

CHUNK = 1024 * 1024


def _norm(tag: str) -> str:
    return tag.strip().strip('"').lower()


class S3Storage:
    name = "s3"

    def __init__(self, bucket: str, *, endpoint_url: str | None, region: str, access_key: str | None,
                 secret_key: str | None, tmp_dir: Path):
        self.bucket = bucket
        self.endpoint_url = endpoint_url
        self.region = region
        self.session = aioboto3.Session(aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                                        region_name=region)
        # SigV4 presigning: S3 refuses the SigV2 URLs botocore would otherwise produce.
        # botocore's "standard" retry mode: throttling, 5xx and connection errors tried again with jittered
        # exponential backoff (5 attempts in all); a 4xx other than throttling fails at once.
        self.config = Config(signature_version="s3v4", s3={"addressing_style": "path"},
                             retries={"mode": "standard", "max_attempts": 5})
        self.tmp_dir = tmp_dir
        self.tmp_dir.mkdir(parents=True, exist_ok=True)

    def _client(self):
        return self.session.client("s3", endpoint_url=self.endpoint_url, config=self.config)

    async def ensure_bucket(self) -> None:
        async with self._client() as s3:
            try:
                await s3.head_bucket(Bucket=self.bucket)
            except ClientError:
                await s3.create_bucket(Bucket=self.bucket)

    async def start_multipart(self, key: str, parts: int, expires_s: int) -> MultipartUpload:
        rules.check_count(parts)
        async with self._client() as s3:
            created = await s3.create_multipart_upload(Bucket=self.bucket, Key=key)
            upload_id = created["UploadId"]
            urls = [
                await s3.generate_presigned_url(
                    "upload_part",
                    Params={"Bucket": self.bucket, "Key": key, "UploadId": upload_id, "PartNumber": number},
                    ExpiresIn=expires_s,
                )
                for number in range(1, parts + 1)
            ]
        return MultipartUpload(upload_id, urls, datetime.fromtimestamp(int(time.time()) + expires_s, timezone.utc))

    async def complete_multipart(self, key: str, upload_id: str, etags: list[str], accept=None) -> int:
        """Check the ETags, let `accept(total bytes)` refuse the upload before S3 assembles it, complete."""
        async with self._client() as s3:
            try:
                listed = await s3.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id)
            except ClientError as exc:
                raise UploadGone("upload not found; start a new one") from exc
            uploaded = {p["PartNumber"]: _norm(p["ETag"]) for p in listed.get("Parts", [])}
            sizes = {p["PartNumber"]: int(p["Size"]) for p in listed.get("Parts", [])}
            # Name the offending part ourselves: S3's own InvalidPart error does not.
            for index, tag in enumerate(etags):
                number = index + 1
                if number not in uploaded:
                    raise ValidationFailed(f"part {number} has not been uploaded", field=["input", "etags", str(index)])
                if uploaded[number] != _norm(tag):
                    raise ValidationFailed(f"part {number}: ETag {tag!r} does not match the uploaded part",
                                           field=["input", "etags", str(index)])
            if accept is not None:
                accept(sum(sizes[number] for number in range(1, len(etags) + 1)))
            rules.check_sizes([sizes[number] for number in range(1, len(etags) + 1)])  # S3's own rule, named
            try:
                await s3.complete_multipart_upload(
                    Bucket=self.bucket, Key=key, UploadId=upload_id,
                    MultipartUpload={"Parts": [{"ETag": f'"{_norm(t)}"', "PartNumber": i + 1} for i, t in enumerate(etags)]},
                )
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                raise ValidationFailed(f"storage refused the parts: {code}", field=["input", "etags"]) from exc
            head = await s3.head_object(Bucket=self.bucket, Key=key)
            return int(head["ContentLength"])

    async def landed_parts(self, key: str, upload_id: str, parts: int) -> list[str] | None:
        """The ETags of an upload's parts once every one has arrived; None before that (or when gone)."""
        async with self._client() as s3:
            try:
                listed = await s3.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id)
            except ClientError:
                return None
        uploaded = {p["PartNumber"]: _norm(p["ETag"]) for p in listed.get("Parts", [])}
        return [uploaded[n] for n in range(1, parts + 1)] if all(n in uploaded for n in range(1, parts + 1)) else None

    async def abort_multipart(self, key: str, upload_id: str) -> None:
        async with self._client() as s3:
            try:
                await s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            except ClientError:
                pass

    async def stale_uploads(self, started_before: datetime, limit: int) -> list[tuple[str, str]]:
        """(key, upload id) of multipart uploads begun before the cutoff, at most `limit`: the sweeper's orphans."""
        found = []
        async with self._client() as s3:
            paginator = s3.get_paginator("list_multipart_uploads")
            # Only our own keys (t/<tenant>/...): a bucket shared with other software keeps its uploads.
            async for page in paginator.paginate(Bucket=self.bucket, Prefix="t/"):
                for upload in page.get("Uploads", []):
                    if upload["Initiated"] < started_before:
                        found.append((upload["Key"], upload["UploadId"]))
                        if len(found) >= limit:
                            return found
        return found

    async def put_file(self, key: str, path: Path, content_type: str) -> int:
        async with self._client() as s3:
            await s3.upload_file(str(path), self.bucket, key, ExtraArgs={"ContentType": content_type})
        return path.stat().st_size

    @asynccontextmanager
    async def local_copy(self, key: str):
        """Stream the object to a temporary file for tools (ffmpeg) that must read a local path."""
        target = self.tmp_dir / f"{uuid.uuid4().hex}-{Path(key).name}"
        try:
            async with self._client() as s3:
                obj = await s3.get_object(Bucket=self.bucket, Key=key)
                with open(target, "wb") as out:
                    async for chunk in obj["Body"].iter_chunks(CHUNK):
                        out.write(chunk)
            yield target
        finally:
            target.unlink(missing_ok=True)

    async def signed_url(self, key: str, expires_s: int = 3600, filename: str | None = None,
                         content_type: str | None = None) -> str:
        """The same type and disposition the local storage answers with (the bucket is another origin, but a
        client sees one behaviour); the object's own Content-Type, set by whoever uploaded it, is overridden."""
        headers = serving.headers(content_type, filename)
        params = {"Bucket": self.bucket, "Key": key, "ResponseContentType": headers["Content-Type"],
                  "ResponseContentDisposition": headers["Content-Disposition"]}
        async with self._client() as s3:
            return await s3.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_s)

    async def delete_prefix(self, prefix: str) -> None:
        async with self._client() as s3:
            paginator = s3.get_paginator("list_objects_v2")
            async for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
                if keys:
                    await s3.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})

    async def delete(self, key: str) -> None:
        async with self._client() as s3:
            await s3.delete_object(Bucket=self.bucket, Key=key)

    async def exists(self, key: str) -> bool:
        async with self._client() as s3:
            try:
                await s3.head_object(Bucket=self.bucket, Key=key)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                    return False
                raise
        return True

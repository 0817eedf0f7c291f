"""Local storage under DATA_DIR: multipart uploads through signed PUT URLs that answer S3-style ETags."""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from domain import signing
from domain.errors import PayloadTooLarge, ValidationFailed
from domain.ports import MultipartUpload
from domain.storage.errors import SignatureInvalid, UploadGone

CHUNK = 1024 * 1024


def _norm_etag(tag: str) -> str:
    return tag.strip().strip('"').lower()


class LocalStorage:
    name = "local"

    def __init__(self, data_dir: Path, secret: str, public_base_url: str, max_part_bytes: int):
        self.root = data_dir / "files"
        self.staging = data_dir / "uploads"
        self.root.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir(parents=True, exist_ok=True)
        self.secret = secret
        self.base = public_base_url.rstrip("/")
        self.max_part_bytes = max_part_bytes

    # -- paths -------------------------------------------------------------
    def path_for(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not str(path).startswith(str(self.root.resolve()) + os.sep):
            raise SignatureInvalid("invalid storage key")
        return path

    def _upload_dir(self, upload_id: str) -> Path:
        if not upload_id.isalnum():
            raise UploadGone("upload not found")
        return self.staging / upload_id

    # -- multipart ---------------------------------------------------------
    async def start_multipart(self, key: str, parts: int, expires_s: int) -> MultipartUpload:
        upload_id = uuid.uuid4().hex
        folder = self._upload_dir(upload_id)
        folder.mkdir(parents=True)
        (folder / "meta.json").write_text(json.dumps({"key": key, "parts": parts}))
        urls = []
        for number in range(1, parts + 1):
            path = f"/storage/uploads/{upload_id}/{number}"
            urls.append(f"{self.base}{path}?{signing.signed_query(self.secret, 'PUT', path, expires_s)}")
        expires_at = datetime.fromtimestamp(int(time.time()) + expires_s, timezone.utc)
        return MultipartUpload(upload_id, urls, expires_at)

    async def receive_part(
        self, upload_id: str, number: int, exp: str | None, sig: str | None, body: AsyncIterator[bytes]
    ) -> str:
        """Stream one PUT body to disk, hashing as it goes; answer its ETag (quoted MD5, as S3 does)."""
        path = f"/storage/uploads/{upload_id}/{number}"
        if not signing.verify(self.secret, "PUT", path, exp, sig):
            raise SignatureInvalid("upload URL signature is invalid or expired")
        folder = self._upload_dir(upload_id)
        meta = folder / "meta.json"
        if not meta.exists():
            raise UploadGone("upload not found; it was finished or replaced")
        if not 1 <= number <= json.loads(meta.read_text())["parts"]:
            raise UploadGone(f"part {number} is not part of this upload")
        digest, size = hashlib.md5(), 0
        tmp = folder / f"part-{number}.{uuid.uuid4().hex}.tmp"
        try:
            with open(tmp, "wb") as out:
                async for chunk in body:
                    size += len(chunk)
                    if size > self.max_part_bytes:
                        raise PayloadTooLarge(f"part exceeds {self.max_part_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
            etag = f'"{digest.hexdigest()}"'
            (folder / f"part-{number}.etag").write_text(etag)
            os.replace(tmp, folder / f"part-{number}")
        finally:
            tmp.unlink(missing_ok=True)
        return etag

    async def complete_multipart(self, key: str, upload_id: str, etags: list[str]) -> int:
        folder = self._upload_dir(upload_id)
        for index, tag in enumerate(etags):
            number = index + 1
            etag_file = folder / f"part-{number}.etag"
            if not etag_file.exists():
                raise ValidationFailed(f"part {number} has not been uploaded", field=["input", "etags", str(index)])
            if _norm_etag(etag_file.read_text()) != _norm_etag(tag):
                raise ValidationFailed(f"part {number}: ETag {tag!r} does not match the uploaded part",
                                       field=["input", "etags", str(index)])
        target = self.path_for(key)
        size = await asyncio.to_thread(self._assemble, folder, len(etags), target)
        return size

    def _assemble(self, folder: Path, parts: int, target: Path) -> int:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".assembling")
        # The first part becomes the file; the others are appended in-kernel (copy_file_range).
        os.replace(folder / "part-1", tmp)
        with open(tmp, "r+b") as out:  # not "ab": copy_file_range refuses O_APPEND descriptors
            out.seek(0, os.SEEK_END)
            for number in range(2, parts + 1):
                with open(folder / f"part-{number}", "rb") as src:
                    remaining = os.fstat(src.fileno()).st_size
                    while remaining > 0:
                        copied = os.copy_file_range(src.fileno(), out.fileno(), min(remaining, 1 << 30))
                        if copied == 0:
                            break
                        remaining -= copied
        os.replace(tmp, target)
        shutil.rmtree(folder, ignore_errors=True)
        return target.stat().st_size

    async def abort_multipart(self, key: str, upload_id: str) -> None:
        shutil.rmtree(self._upload_dir(upload_id), ignore_errors=True)

    # -- files -------------------------------------------------------------
    async def put_file(self, key: str, path: Path, content_type: str) -> int:
        target = self.path_for(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(shutil.copyfile, path, target)
        return target.stat().st_size

    @asynccontextmanager
    async def local_copy(self, key: str):
        yield self.path_for(key)

    async def signed_url(self, key: str, expires_s: int = 3600, filename: str | None = None) -> str:
        path = f"/storage/files/{quote(key)}"
        extra = {"filename": filename} if filename else None
        return f"{self.base}{path}?{signing.signed_query(self.secret, 'GET', path, expires_s, extra)}"

    def verify_download(self, key: str, exp: str | None, sig: str | None, filename: str | None) -> Path:
        path = f"/storage/files/{quote(key)}"
        extra = {"filename": filename} if filename else None
        if not signing.verify(self.secret, "GET", path, exp, sig, extra):
            raise SignatureInvalid("download URL signature is invalid or expired")
        return self.path_for(key)

    async def delete_prefix(self, prefix: str) -> None:
        target = self.path_for(prefix.rstrip("/") + "/x").parent
        await asyncio.to_thread(shutil.rmtree, target, True)

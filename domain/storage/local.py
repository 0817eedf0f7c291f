"""Local storage under DATA_DIR: multipart uploads through signed PUT URLs that answer S3-style ETags."""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from domain import signing
from domain.errors import PayloadTooLarge, ValidationFailed
from domain.ports import MultipartUpload
from domain.storage import parts as rules
from domain.storage import serving
from domain.storage.errors import SignatureInvalid, UploadGone



class _PartWriter:
    """Hashes and writes a part on a helper thread while the event loop receives the next bytes.

    hashlib and pwrite release the GIL, so MD5 (S3's ETag) no longer costs the loop its time;
    at most `inflight` blocks of `block` bytes wait, which bounds memory per upload.
    """

    def __init__(self, fd: int, offset: int, block: int = 1 << 20, inflight: int = 4):
        self.fd, self.offset, self.block, self.inflight = fd, offset, block, inflight
        self.md5 = hashlib.md5()
        self.buffer = bytearray()
        self.pending: deque = deque()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-part")

    def _write(self, data: bytearray, offset: int) -> None:
        self.md5.update(data)
        view = memoryview(data)
        while view:
            written = os.pwrite(self.fd, view, offset)
            offset += written
            view = view[written:]

    async def _submit(self) -> None:
        data, self.buffer = self.buffer, bytearray()
        self.pending.append(asyncio.get_running_loop().run_in_executor(self.pool, self._write, data, self.offset))
        self.offset += len(data)
        while len(self.pending) > self.inflight:
            await self.pending.popleft()

    async def feed(self, chunk: bytes) -> None:
        self.buffer += chunk
        if len(self.buffer) >= self.block:
            await self._submit()

    async def finish(self) -> None:
        if self.buffer:
            await self._submit()
        while self.pending:
            await self.pending.popleft()
        self.pool.shutdown(wait=True)

    async def abandon(self) -> None:
        for future in self.pending:
            future.cancel()
        await asyncio.gather(*self.pending, return_exceptions=True)
        self.pool.shutdown(wait=True)


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
        rules.check_count(parts)
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
        self, upload_id: str, number: int, exp: str | None, sig: str | None, body: AsyncIterator[bytes],
        length: int | None = None,
    ) -> str:
        """Stream one PUT body to disk, hashing as it goes; answer its ETag (quoted MD5, as S3 does).

        Clients split files into equal parts (all but the last), so once any non-last part has told us
        the part size, each part is written straight into the assembled file at its offset and
        finishing the upload moves no data. Parts of other sizes go to files of their own.
        """
        path = f"/storage/uploads/{upload_id}/{number}"
        if not signing.verify(self.secret, "PUT", path, exp, sig):
            raise SignatureInvalid("upload URL signature is invalid or expired")
        folder = self._upload_dir(upload_id)
        meta = folder / "meta.json"
        if not meta.exists():
            raise UploadGone("upload not found; it was finished or replaced")
        parts = json.loads(meta.read_text())["parts"]
        if not 1 <= number <= parts:
            raise UploadGone(f"part {number} is not part of this upload")
        if length is not None and length > self.max_part_bytes:
            raise PayloadTooLarge(f"part exceeds {self.max_part_bytes} bytes")
        info_file = folder / f"part-{number}.json"
        info_file.unlink(missing_ok=True)  # a retried part counts only once it has fully arrived again
        part_size = self._part_size(folder, length if number < parts else None)
        in_place = length is not None and part_size is not None and (number == parts or length == part_size)
        offset = (number - 1) * part_size if in_place else 0
        target = folder / "data" if in_place else folder / f"part-{number}.{uuid.uuid4().hex}.tmp"
        size = 0
        fd = os.open(target, os.O_WRONLY | os.O_CREAT, 0o600)
        writer = _PartWriter(fd, offset)
        try:
            async for chunk in body:
                size += len(chunk)
                if size > self.max_part_bytes or (length is not None and size > length):
                    raise PayloadTooLarge(f"part exceeds {min(self.max_part_bytes, length or self.max_part_bytes)} bytes")
                await writer.feed(chunk)
            await writer.finish()
        except BaseException:
            await writer.abandon()
            if not in_place:
                target.unlink(missing_ok=True)
            raise
        finally:
            os.close(fd)
        if not in_place:
            os.replace(target, folder / f"part-{number}")
        etag = f'"{writer.md5.hexdigest()}"'
        info = {"etag": etag, "size": size, "in_place": in_place and size == length}
        info_file.write_text(json.dumps(info))
        return etag

    @staticmethod
    def _part_size(folder: Path, announced: int | None) -> int | None:
        """The upload's part size: fixed by the first non-last part to announce its length."""
        marker = folder / "part-size"
        if announced is not None and announced > 0:
            try:
                fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                os.write(fd, str(announced).encode())
                os.close(fd)
            except FileExistsError:
                pass
        try:
            return int(marker.read_text() or 0) or None
        except (FileNotFoundError, ValueError):
            return None

    async def complete_multipart(self, key: str, upload_id: str, etags: list[str], accept=None) -> int:
        """Check the ETags, let `accept(total bytes)` refuse the upload before anything is assembled, assemble."""
        folder = self._upload_dir(upload_id)
        if not (folder / "meta.json").exists():
            raise UploadGone("upload not found; it was finished, replaced or expired: start a new one")
        infos = []
        for index, tag in enumerate(etags):
            number = index + 1
            info_file = folder / f"part-{number}.json"
            if not info_file.exists():
                raise ValidationFailed(f"part {number} has not been uploaded", field=["input", "etags", str(index)])
            info = json.loads(info_file.read_text())
            if _norm_etag(info["etag"]) != _norm_etag(tag):
                raise ValidationFailed(f"part {number}: ETag {tag!r} does not match the uploaded part",
                                       field=["input", "etags", str(index)])
            infos.append(info)
        if accept is not None:
            accept(sum(info["size"] for info in infos))
        rules.check_sizes([info["size"] for info in infos])  # after `accept`, where S3 refuses them too
        target = self.path_for(key)
        return await asyncio.to_thread(self._assemble, folder, infos, target)

    def _assemble(self, folder: Path, infos: list[dict], target: Path) -> int:
        target.parent.mkdir(parents=True, exist_ok=True)
        total = sum(info["size"] for info in infos)
        part_size = self._part_size(folder, None)
        placed = all(info["in_place"] for info in infos) and all(
            info["size"] == part_size for info in infos[:-1])
        if placed:
            data = folder / "data"
            os.truncate(data, total)
            os.replace(data, target)
        else:
            tmp = target.with_name(target.name + ".assembling")
            with open(tmp, "wb") as out:
                for number, info in enumerate(infos, start=1):
                    source = folder / "data" if info["in_place"] else folder / f"part-{number}"
                    start = (number - 1) * part_size if info["in_place"] else 0
                    with open(source, "rb") as src:
                        remaining, position = info["size"], start
                        while remaining > 0:
                            copied = os.copy_file_range(src.fileno(), out.fileno(), remaining, position)
                            if copied == 0:
                                raise OSError("short copy while assembling an upload")
                            remaining -= copied
                            position += copied
            os.replace(tmp, target)
        shutil.rmtree(folder, ignore_errors=True)
        return target.stat().st_size

    async def abort_multipart(self, key: str, upload_id: str) -> None:
        await asyncio.to_thread(shutil.rmtree, self._upload_dir(upload_id), True)

    async def landed_parts(self, key: str, upload_id: str, parts: int) -> list[str] | None:
        """The ETags of an upload's parts once every one has fully arrived; None before that (or when gone).
        For uploads nobody finishes by call (the editor's single PUT): the server finishes them itself."""
        folder = self._upload_dir(upload_id)
        infos = [folder / f"part-{number}.json" for number in range(1, parts + 1)]
        if not (folder / "meta.json").exists() or not all(info.exists() for info in infos):
            return None
        return [json.loads(info.read_text())["etag"] for info in infos]

    async def stale_uploads(self, started_before: datetime, limit: int) -> list[tuple[str, str]]:
        """(key, upload id) of staged uploads begun before the cutoff, at most `limit`: the sweeper's orphans."""
        return await asyncio.to_thread(self._stale_uploads, started_before.timestamp(), limit)

    def _stale_uploads(self, cutoff: float, limit: int) -> list[tuple[str, str]]:
        found = []
        for entry in os.scandir(self.staging):
            meta = Path(entry.path) / "meta.json"
            try:
                if entry.is_dir() and meta.stat().st_mtime < cutoff:
                    found.append((json.loads(meta.read_text())["key"], entry.name))
            except (OSError, ValueError, KeyError):
                continue  # finished or aborted meanwhile
            if len(found) >= limit:
                break
        return found

    # -- files -------------------------------------------------------------
    async def put_file(self, key: str, path: Path, content_type: str) -> int:
        target = self.path_for(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(shutil.copyfile, path, target)
        return target.stat().st_size

    @asynccontextmanager
    async def local_copy(self, key: str):
        yield self.path_for(key)

    async def signed_url(self, key: str, expires_s: int = 3600, filename: str | None = None,
                         content_type: str | None = None) -> str:
        """The type rides in the signature: what the server answers with is what our code knew, not a guess."""
        path = f"/storage/files/{quote(key)}"
        extra = {"filename": filename or None, "type": serving.base_type(content_type) or None}
        return f"{self.base}{path}?{signing.signed_query(self.secret, 'GET', path, expires_s, extra)}"

    def verify_download(self, key: str, exp: str | None, sig: str | None, filename: str | None,
                        content_type: str | None = None) -> Path:
        path = f"/storage/files/{quote(key)}"
        extra = {"filename": filename or None, "type": content_type or None}
        if not signing.verify(self.secret, "GET", path, exp, sig, extra):
            raise SignatureInvalid("download URL signature is invalid or expired")
        return self.path_for(key)

    async def delete_prefix(self, prefix: str) -> None:
        target = self.path_for(prefix.rstrip("/") + "/x").parent
        await asyncio.to_thread(shutil.rmtree, target, True)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path_for(key).unlink, True)

    async def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

"""Ports the domain declares and app.py fills: storage, event bus, dispatcher."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from domain.jobs.snapshot import JobSnapshot


@dataclass(frozen=True)
class MultipartUpload:
    upload_id: str
    urls: list[str]
    expires_at: datetime


class Storage(Protocol):
    name: str

    async def start_multipart(self, key: str, parts: int, expires_s: int) -> MultipartUpload: ...
    async def complete_multipart(self, key: str, upload_id: str, etags: list[str],
                                 accept: "Callable[[int], None] | None" = None) -> int: ...
    async def abort_multipart(self, key: str, upload_id: str) -> None: ...
    async def landed_parts(self, key: str, upload_id: str, parts: int) -> list[str] | None: ...
    async def stale_uploads(self, started_before: datetime, limit: int) -> list[tuple[str, str]]: ...
    async def put_file(self, key: str, path: Path, content_type: str) -> int: ...
    def local_copy(self, key: str) -> AbstractAsyncContextManager[Path]: ...
    async def signed_url(self, key: str, expires_s: int = 3600, filename: str | None = None,
                         content_type: str | None = None) -> str: ...
    async def delete_prefix(self, prefix: str) -> None: ...
    async def delete(self, key: str) -> None: ...
    async def exists(self, key: str) -> bool: ...


class EventBus(Protocol):
    async def publish(self, event: JobSnapshot) -> None: ...
    def subscribe(self, tenant_id: uuid.UUID) -> AbstractAsyncContextManager[AsyncIterator[JobSnapshot]]: ...


class Dispatcher(Protocol):
    def dispatch(self, job_id: uuid.UUID, kind: str, priority: str) -> bool: ...
    def deliver_webhook(self, delivery_id: uuid.UUID) -> bool: ...


class MediaInspector(Protocol):
    def probe(self, path: Path) -> dict: ...


class FrameGrabber(Protocol):
    """Frames a request answers at once (editor previews): JPEGs of one file at given seconds, optionally graded."""

    def grab(self, path: Path, times: list[float], out_dir: Path, grade: dict | None = None,
             max_width: int | None = None) -> list[Path]: ...


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass
class Ports:
    """The concrete adapters app.py wires in, handed to services that need more than a session."""

    settings: "object"
    storage: Storage
    bus: EventBus
    dispatcher: Dispatcher
    registry: "object"
    media: MediaInspector | None = None  # ffprobe, for checks a request must answer at once (MediaPitch audio)
    mailer: Mailer | None = None
    ephemeral: "object" = None  # short-lived encrypted secrets (domain.ephemeral.EphemeralSecrets)
    frames: FrameGrabber | None = None  # editor previews (workers/engines/editing/frames.py)

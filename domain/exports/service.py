"""External storages (validated, credentials encrypted) and export requests for clips, subtitles and metadata."""
from __future__ import annotations

import asyncio
import json
import time
import uuid

from domain import secrets, urls
from domain.analysis import repository as analysis_repo
from domain.assets import service as assets
from domain.clips import service as clips
from domain.clips.models import READY
from domain.db import UnitOfWork, utcnow
from domain.errors import DomainError, ErrorCode, NotFound, ValidationFailed
from domain.exports import paths, repository
from domain.exports.models import TYPES, ExternalStorage
from domain.jobs import repository as jobs_repo
from domain.jobs import service as jobs
from domain.jobs.models import TERMINAL, Job
from domain.jobs.service import parse_id
from domain.pagination import clamp_first
from domain.ports import Ports
from domain.tenancy.service import Viewer
from domain.transcripts import service as transcripts

PURPOSE = "external-storage"
DESTINATION = {"aws_s3": {"bucket_name": True, "region": False, "endpoint_url": False},
               "azure": {"blob_url": True}, "gcp_storage": {"bucket_name": True}, "dummy": {}}
AUTHENTICATION = {"aws_s3": ("iam_role_arn", "external_id", "access_key_id", "secret_access_key"),
                  "azure": ("sas_token",), "gcp_storage": ("credentials",), "dummy": ()}
SUBTITLE_FORMATS = ("vtt", "srt", "stl", "json")


def _require_admin(viewer: Viewer) -> None:
    if not viewer.is_admin:
        raise DomainError("admin routes need an admin API key", code=ErrorCode.FORBIDDEN)


async def get(uow: UnitOfWork, viewer: Viewer, ident, *, admin: bool = False, field=None) -> ExternalStorage:
    if admin:
        _require_admin(viewer)
    found = await repository.get(uow.session, None if admin else viewer.tenant_id,
                                 parse_id(ident, "external storage", field))
    if found is None:
        raise NotFound("external storage", ident, field=field)
    return found


async def page(uow: UnitOfWork, viewer: Viewer, first: int | None, offset: int, *, admin: bool = False):
    if admin:
        _require_admin(viewer)
    return await repository.page(uow.session, None if admin else viewer.tenant_id, limit=clamp_first(first, 16),
                                 offset=max(0, offset))


async def _destination(ports: Ports, kind: str, value, current: dict | None) -> dict:
    allowed = DESTINATION[kind]
    value = {**(current or {}), **(value or {})}  # a change merges into the stored destination
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValidationFailed(f"destination of a {kind} storage takes {', '.join(allowed) or 'no fields'}, "
                               f"not {unknown[0]}", field=["input", "destination", unknown[0]])
    for name, required in allowed.items():
        if required and not str(value.get(name) or "").strip():
            raise ValidationFailed(f"destination.{name} is required for a {kind} storage",
                                   field=["input", "destination", name])
        if name in value and not isinstance(value[name], str):
            raise ValidationFailed(f"destination.{name} must be a string", field=["input", "destination", name])
    for name in ("blob_url", "endpoint_url"):
        if value.get(name):  # the SDK will connect there: the same guard as any user-supplied URL
            await urls.check(value[name], allow_private=ports.settings.allow_private_urls,
                             field=["input", "destination", name])
    return value


async def _authentication(ports: Ports, kind: str, value: dict | None) -> dict:
    value = dict(value or {})
    allowed = AUTHENTICATION[kind]
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValidationFailed(f"authentication_data of a {kind} storage takes {', '.join(allowed) or 'nothing'}, "
                               f"not {unknown[0]}", field=["input", "authenticationData", unknown[0]])
    at = ["input", "authenticationData"]
    if kind == "aws_s3":
        keys = bool(value.get("access_key_id")) + bool(value.get("secret_access_key"))
        if keys == 1:
            raise ValidationFailed("access_key_id and secret_access_key go together", field=at + ["access_key_id"])
        if not value.get("iam_role_arn") and not keys:
            raise ValidationFailed("an aws_s3 storage needs iam_role_arn (a role this deployment may assume) or "
                                   "access keys", field=at + ["iam_role_arn"])
        if value.get("iam_role_arn") and not str(value["iam_role_arn"]).startswith("arn:"):
            raise ValidationFailed("iam_role_arn must be a role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
                                   field=at + ["iam_role_arn"])
    elif kind == "azure":
        if not str(value.get("sas_token") or "").strip():
            raise ValidationFailed("an azure storage needs a sas_token with write permission", field=at + ["sas_token"])
        value["sas_token"] = value["sas_token"].strip().lstrip("?")
    elif kind == "gcp_storage":
        credentials = value.get("credentials")
        if isinstance(credentials, str):
            try:
                credentials = json.loads(credentials)
            except ValueError as exc:
                raise ValidationFailed("credentials must be a service account's JSON key",
                                       field=at + ["credentials"]) from exc
        if not isinstance(credentials, dict) or credentials.get("type") != "service_account" or not all(
                credentials.get(k) for k in ("client_email", "private_key", "token_uri")):
            raise ValidationFailed("credentials must be a service account's JSON key (type service_account, "
                                   "client_email, private_key, token_uri)", field=at + ["credentials"])
        await urls.check(credentials["token_uri"], allow_private=ports.settings.allow_private_urls,
                         field=at + ["credentials", "token_uri"])
        value["credentials"] = credentials
    return value


async def save(uow: UnitOfWork, ports: Ports, viewer: Viewer, ident: str | None, data: dict) -> ExternalStorage:
    creating = ident is None
    storage = ExternalStorage(id=uuid.uuid4(), tenant_id=viewer.tenant_id) if creating else await get(uow, viewer, ident)
    if data.get("name") is not None or creating:
        name = str(data.get("name") or "").strip()
        if not name or len(name) > 200:
            raise ValidationFailed("name must be 1 to 200 characters", field=["input", "name"])
        storage.name = name
    kind = data.get("type") or (None if creating else storage.type)
    if kind not in TYPES:
        raise ValidationFailed(f"type must be one of {', '.join(TYPES)}", field=["input", "type"])
    changed_type = kind != storage.type
    storage.type = kind
    if creating or changed_type or data.get("destination") is not None:
        storage.destination = await _destination(ports, kind, data.get("destination"),
                                                 None if creating or changed_type else storage.destination)
    if creating or changed_type or data.get("authentication_data") is not None:
        auth = await _authentication(ports, kind, data.get("authentication_data"))
        storage.secret = secrets.encrypt(ports.settings.secret_key, PURPOSE, json.dumps(auth)) if auth else None
    if "export_path" in data and data["export_path"] is not None:
        storage.export_path = paths.validate(data["export_path"], ["input", "exportPath"])
    if creating:
        repository.add(uow.session, storage)
    await uow.session.flush()
    return storage


def credentials(ports: Ports, storage: ExternalStorage) -> dict:
    return json.loads(secrets.decrypt(ports.settings.secret_key, PURPOSE, storage.secret)) if storage.secret else {}


async def record_export(uow: UnitOfWork, tenant_id: uuid.UUID, storage_id: uuid.UUID) -> None:
    storage = await repository.get(uow.session, tenant_id, storage_id)
    if storage is not None:
        storage.last_export_at = utcnow()
        await uow.session.flush()


async def delete(uow: UnitOfWork, viewer: Viewer, ident: str) -> uuid.UUID:
    storage = await get(uow, viewer, ident)
    await repository.delete(uow.session, storage)
    await uow.session.flush()
    return storage.id


async def request(uow: UnitOfWork, ports: Ports, viewer: Viewer, storage_id: str, asset_id: str, *,
                  clip_id: str | None = None, transcription_id: str | None = None, metadata_id: str | None = None,
                  fmt: str | None = None) -> Job:
    """Queue one export; what it exports is checked now, so a bad request answers at once."""
    storage = await get(uow, viewer, storage_id, field=["input", "externalStorageId"])
    asset = await assets.get(uow, viewer, asset_id, field=["input", "assetId"])
    target: dict = {"storage_id": str(storage.id), "asset_id": str(asset.id)}
    if clip_id is not None:
        clip = await clips.get(uow, viewer, clip_id, str(asset.id), field=["input", "videoClipId"])
        if clip.status != READY:
            raise DomainError(f"video clip {clip.id} is {clip.status}; export it once it is ready",
                              field=["input", "videoClipId"], code=ErrorCode.RESULT_NOT_READY)
        target |= {"what": "clip", "clip_id": str(clip.id)}
    elif transcription_id is not None:
        if fmt not in SUBTITLE_FORMATS:
            raise ValidationFailed(f"format must be one of {', '.join(SUBTITLE_FORMATS)}", field=["input", "format"])
        transcription = await transcripts.get(uow, viewer, transcription_id, str(asset.id))
        target |= {"what": "subtitles", "transcription_id": str(transcription.id), "format": fmt,
                   "language": transcription.language}
    elif metadata_id is not None:
        item = await analysis_repo.get(uow.session, viewer.tenant_id, asset.id,
                                       parse_id(metadata_id, "metadata", ["input", "metadataId"]), "metadata")
        if item is None:
            raise NotFound("metadata", metadata_id, field=["input", "metadataId"])
        target |= {"what": "metadata", "metadata_id": str(item.id)}
    else:
        raise ValidationFailed("name what to export", field=["input"])
    return await jobs.create(uow, ports, viewer, kind="export", asset_id=asset.id, input=target,
                             provider=storage.type)


async def wait(sessionmaker, viewer: Viewer, job_id: uuid.UUID, timeout_s: float) -> Job:
    """Poll a job until it ends (synchronous export routes); the job row is the truth, whichever worker runs it."""
    deadline = time.monotonic() + timeout_s
    delay = 0.05
    while True:
        async with UnitOfWork(sessionmaker) as uow:
            job = await jobs_repo.get(uow.session, viewer.tenant_id, job_id)
        if job is None or job.status in TERMINAL or time.monotonic() >= deadline:
            return job
        await asyncio.sleep(delay)
        delay = min(0.5, delay * 1.5)

"""Asset use cases: create, read, list, delete, and the multipart upload flow."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from domain.assets import repository
from domain.assets.models import ASSET_STATUSES, MODES, PROCESSING, UPLOADING, Asset, AudioTrack, StoredFile
from domain.catalog import service as catalog
from domain.assets.repository import AssetFilter
from domain.db import UnitOfWork, utcnow
from domain.errors import Conflict, DomainError, ErrorCode, NotFound, QuotaExceeded, ValidationFailed
from domain.jobs import lifecycle
from domain.jobs import service as jobs
from domain.jobs.models import CANCELLED
from domain.jobs.models import Job
from domain.jobs.service import parse_id
from domain.pagination import Page, clamp_first, decode_cursor
from domain.templates import repository as template_repository
from domain.templates.models import Template
from domain.ports import Ports
from domain.tenancy.service import Viewer
from domain.tombstones import service as tombstones
from domain.uploads import service as quota
from domain.uploads.service import end_transaction

MAX_PARTS = 10_000


def asset_prefix(tenant_id: uuid.UUID, asset_id: uuid.UUID) -> str:
    return f"t/{tenant_id}/a/{asset_id}/"


def safe_filename(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"
    return cleaned[:120]


@dataclass
class NewAsset:
    filename: str
    external_id: str | None = None
    language_id: str | None = None
    collection_id: str | None = None
    template_id: str | None = None
    mode: str = "normal"
    asset_id: uuid.UUID | None = None  # chosen up front when files are stored before the row is written


class SizeMismatch(ValidationFailed):
    """The parts do not add up to the size declared at startUpload."""


@dataclass
class StartedUpload:
    asset: Asset
    upload_id: str
    urls: list[str]
    expires_at: datetime


async def create(uow: UnitOfWork, viewer: Viewer, new: NewAsset) -> Asset:
    filename = (new.filename or "").strip()
    if not filename:
        raise ValidationFailed("filename must not be empty", field=["input", "filename"])
    if len(filename) > 255:
        raise ValidationFailed("filename is longer than 255 characters", field=["input", "filename"])
    if new.mode not in MODES:
        raise ValidationFailed(f"mode must be one of {', '.join(MODES)}", field=["input", "mode"])
    external_id = (new.external_id or "").strip() or None
    if external_id and len(external_id) > 255:
        raise ValidationFailed("externalId is longer than 255 characters", field=["input", "externalId"])
    if external_id and await repository.by_external_id(uow.session, viewer.tenant_id, external_id):
        raise Conflict(f"an asset with externalId {external_id!r} exists", field=["input", "externalId"])
    ids = {}
    for name in ("language_id", "collection_id", "template_id"):
        value = getattr(new, name)
        if value:
            try:
                ids[name] = uuid.UUID(str(value))
            except ValueError as exc:
                camel = re.sub(r"_(\w)", lambda m: m.group(1).upper(), name)
                raise ValidationFailed(f"{camel} is not a valid id", field=["input", camel]) from exc
    if "collection_id" in ids:  # the collection's default template unless the asset names one
        collection_template = await catalog.template_for(uow, viewer, ids["collection_id"])
        if collection_template is not None and "template_id" not in ids:
            ids["template_id"] = collection_template
    if "template_id" in ids and await template_repository.get(uow.session, Template, viewer.tenant_id,
                                                                ids["template_id"]) is None:
        raise NotFound("template", ids["template_id"], field=["input", "templateId"])
    asset = Asset(id=new.asset_id or uuid.uuid4(), tenant_id=viewer.tenant_id, filename=filename, external_id=external_id,
                  mode=new.mode, status=UPLOADING, **ids)
    repository.add(uow.session, asset)
    try:
        await uow.session.flush()
    except IntegrityError as exc:  # a concurrent create won the unique external id
        raise Conflict(f"an asset with externalId {external_id!r} exists", field=["input", "externalId"]) from exc
    return asset


async def get(uow: UnitOfWork, viewer: Viewer, asset_id: str | uuid.UUID, field: list[str] | None = None) -> Asset:
    asset = await repository.get(uow.session, viewer.tenant_id, parse_id(asset_id, "asset", field))
    if asset is None:
        raise NotFound("asset", asset_id, field=field)
    return asset


async def get_by_external_id(uow: UnitOfWork, viewer: Viewer, external_id: str) -> Asset:
    asset = await repository.by_external_id(uow.session, viewer.tenant_id, external_id)
    if asset is None:
        raise NotFound("asset with externalId", external_id)
    return asset


async def list_page(
    uow: UnitOfWork, viewer: Viewer, *, first: int | None, after: str | None, flt: AssetFilter, offset: int = 0
) -> Page[Asset]:
    if flt.status and flt.status not in ASSET_STATUSES:
        raise ValidationFailed(f"unknown status {flt.status!r}", field=["filter", "status"])
    items, has_next, total = await repository.page(
        uow.session, viewer.tenant_id, flt, first=clamp_first(first, 16), after=decode_cursor(after), offset=offset
    )
    return Page(items, has_next, total)


async def start_upload(uow: UnitOfWork, ports: Ports, viewer: Viewer, asset_id: str, parts: int | None,
                       size: int | None = None, *, own_transaction: bool = True) -> StartedUpload:
    """New part URLs for the asset's original. `size`, the declared total, is checked against the storage quota now
    (and reserved until the upload ends) and against the parts at finish; it is required while a quota applies.

    With `own_transaction` (the caller has written nothing yet), the storage call runs between two short
    transactions, never inside one (SQLite holds one writer meanwhile); a crash between them leaves a staged upload
    no row names, which the upload sweeper aborts."""
    asset = await get(uow, viewer, asset_id, field=["input", "assetId"])
    parts = 1 if parts is None else parts
    if not 1 <= parts <= MAX_PARTS:
        raise ValidationFailed(f"parts must be between 1 and {MAX_PARTS}", field=["input", "parts"])
    if size is not None and size < 0:
        raise ValidationFailed("size must not be negative", field=["input", "size"])
    _still_uploading(asset)
    left = await quota.room(uow, ports.settings, asset.tenant_id, except_asset=asset.id)
    if left is not None and size is None:
        raise ValidationFailed("size (the file's total bytes) is required: this account has a storage quota",
                               field=["input", "size"])
    quota.ensure_fits(left, size or 0, ["input", "size"])  # refused before any storage call
    key = asset_prefix(asset.tenant_id, asset.id) + "original/" + safe_filename(asset.filename)
    if own_transaction:
        await end_transaction(uow)
    upload = await ports.storage.start_multipart(key, parts, ports.settings.upload_url_ttl_s)
    try:
        if own_transaction:  # read again: it may have been deleted, finished or restarted meanwhile
            asset = await get(uow, viewer, asset_id, field=["input", "assetId"])
            _still_uploading(asset)
        if left is not None:  # again under the tenant's lock, after the storage call: concurrent starts take turns
            await quota.require(uow, ports.settings, asset.tenant_id, size, ["input", "size"],
                                except_asset=asset.id, lock=True)
    except DomainError:
        if own_transaction:
            await uow.rollback()  # first, so the abort below runs with no transaction open
        await ports.storage.abort_multipart(key, upload.upload_id)
        raise
    if asset.upload_id:  # a client restarting its upload gets a fresh one; the abandoned parts go after commit
        tombstones.bury(uow, ports, asset.upload_key, tenant_id=asset.tenant_id, upload_id=asset.upload_id)
    asset.upload_id, asset.upload_key, asset.upload_parts = upload.upload_id, key, parts
    asset.upload_size, asset.upload_started_at = size, utcnow()
    await uow.session.flush()
    return StartedUpload(asset, upload.upload_id, upload.urls, upload.expires_at)


def _still_uploading(asset: Asset) -> None:
    if asset.status != UPLOADING:
        raise Conflict(f"asset {asset.id} is {asset.status}; its upload is finished", field=["input", "assetId"])


def stripped_etags(etags: list[str]) -> list[str]:
    # GraphQL sends a list; the REST dialects split comma-separated strings themselves (common.comma_list).
    return [tag.strip() for tag in etags if tag is not None]


async def finish_upload(uow: UnitOfWork, ports: Ports, viewer: Viewer, asset_id: str, etags: list[str], *,
                        own_transaction: bool = True) -> tuple[Asset, Job]:
    """Assemble the parts and queue the probe. On a bad ETag nothing changes, so the client can retry; parts that do
    not add up to the declared size, or that the quota has no room for, are discarded (start a new upload).

    With `own_transaction`, the parts are assembled between two short transactions. If the asset was deleted
    meanwhile, the assembled object is tombstoned; a crash after assembly leaves the asset uploading, and its
    upload is then closed by the sweeper (which tombstones the object) or replaced by a new one."""
    asset = await get(uow, viewer, asset_id, field=["input", "assetId"])
    if asset.status != UPLOADING or not asset.upload_id:
        raise Conflict(f"asset {asset.id} has no upload in progress; call startUpload first", field=["input", "assetId"])
    tags = stripped_etags(etags)
    if len(tags) != asset.upload_parts:
        raise ValidationFailed(
            f"expected {asset.upload_parts} ETags (one per part), got {len(tags)}", field=["input", "etags"]
        )
    left = await quota.room(uow, ports.settings, asset.tenant_id, except_asset=asset.id)
    ident, declared, key, upload_id, tenant_id = (asset.id, asset.upload_size, asset.upload_key, asset.upload_id,
                                                  asset.tenant_id)

    def accept(total: int) -> None:
        if declared is not None and total != declared:
            raise SizeMismatch(f"the parts add up to {total} bytes, not the declared size {declared}; "
                               "they were discarded: start a new upload", field=["input", "etags"])
        quota.ensure_fits(left, total, ["input", "etags"])

    if own_transaction:
        await end_transaction(uow)
    try:
        size = await ports.storage.complete_multipart(key, upload_id, tags, accept)
    except (QuotaExceeded, SizeMismatch):
        if own_transaction:
            await uow.rollback()
        await ports.storage.abort_multipart(key, upload_id)  # nothing of a refused upload is kept
        raise
    if own_transaction:
        asset = await repository.get(uow.session, tenant_id, ident)
        if asset is None:  # deleted while its parts were assembled: the object belongs to no row
            tombstones.bury(uow, ports, key, tenant_id=tenant_id)
            await uow.commit()
            raise NotFound("asset", asset_id, field=["input", "assetId"])
        if asset.status != UPLOADING or asset.upload_id != upload_id:
            raise Conflict(f"asset {asset.id}'s upload was finished or restarted meanwhile", field=["input", "assetId"])
    stored = StoredFile(id=uuid.uuid4(), tenant_id=asset.tenant_id, asset_id=asset.id, role="original",
                        key=key, content_type="application/octet-stream", size=size, filename=asset.filename)
    repository.add(uow.session, stored)
    asset.original_file_id, asset.status = stored.id, PROCESSING
    asset.upload_id = asset.upload_parts = asset.upload_size = asset.upload_started_at = None
    await uow.session.flush()
    # Probes are short and gate everything after them: they go ahead of long model work in the queue.
    job = await jobs.create(uow, ports, viewer, kind="probe", asset_id=asset.id, input={"asset_id": str(asset.id)},
                            priority="high")
    return asset, job


async def delete(uow: UnitOfWork, ports: Ports, viewer: Viewer, asset_id: str) -> uuid.UUID:
    """Remove the asset and its rows now, with its queued and running jobs cancelled (a running one stops at its
    next step) and its files tombstoned in the same transaction: storage is called after the commit."""
    asset = await get(uow, viewer, asset_id, field=["id"])
    for job in await tombstones.active_jobs(uow.session, viewer.tenant_id, asset.id):
        await lifecycle.change(uow, ports, job, status=CANCELLED,
                               error=DomainError("its asset was deleted", code=ErrorCode.CANCELLED))
    await tombstones.bury_asset(uow, ports, asset, asset_prefix(asset.tenant_id, asset.id))
    await repository.delete(uow.session, asset)
    await uow.session.flush()
    return asset.id


async def get_track(uow: UnitOfWork, viewer: Viewer, asset_id: str, track_id: str) -> AudioTrack:
    asset = await get(uow, viewer, asset_id)
    track = await repository.track(uow.session, viewer.tenant_id, asset.id, parse_id(track_id, "audio track"))
    if track is None:
        raise NotFound("audio track", track_id)
    return track


async def tracks(uow: UnitOfWork, viewer: Viewer, asset_id: str) -> list[AudioTrack]:
    asset = await get(uow, viewer, asset_id)
    return await repository.tracks_by_asset_ids(uow.session, viewer.tenant_id, [asset.id])


async def file_url(ports: Ports, stored: StoredFile, expires_s: int = 3600) -> str:
    return await ports.storage.signed_url(stored.key, expires_s, filename=stored.filename,
                                         content_type=stored.content_type)

"""Branding use cases: subtitle styles, overlay and clip media (uploaded and probed), brandings and variants."""
from __future__ import annotations

import asyncio
import enum
import re
import uuid

from sqlalchemy.exc import IntegrityError

from domain.assets.service import MAX_PARTS, safe_filename, stripped_etags
from domain.brandings import fonts, repository
from domain.brandings.models import (ASPECT_RATIOS, CREATED, FAILED, MEDIA_KINDS, OVERLAY_POSITIONS, PROCESSING,
                                     READY, UPLOADING, Branding, BrandingMedia, BrandingVariant, SubtitleStyle)
from domain.db import UnitOfWork, utcnow
from domain.errors import Conflict, DomainError, ErrorCode, NotFound, QuotaExceeded, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.jobs.service import parse_id
from domain.pagination import Page, clamp_first, decode_cursor
from domain.ports import MultipartUpload, Ports
from domain.tenancy.service import Viewer
from domain.tombstones import service as tombstones
from domain.uploads import service as quota
from domain.uploads.service import end_transaction



class Kind(enum.StrEnum):
    """What a branding row is; the media kinds' values are those of `BrandingMedia.kind`."""
    SUBTITLE_STYLE = "subtitle_style"
    OVERLAY = "overlay"
    CLIP = "clip"
    BRANDING = "branding"
    VARIANT = "variant"


MODELS = {Kind.SUBTITLE_STYLE: SubtitleStyle, Kind.OVERLAY: BrandingMedia, Kind.CLIP: BrandingMedia,
          Kind.BRANDING: Branding, Kind.VARIANT: BrandingVariant}
LABELS = {Kind.SUBTITLE_STYLE: "subtitle style", Kind.OVERLAY: "branding overlay", Kind.CLIP: "branding clip",
          Kind.BRANDING: "branding", Kind.VARIANT: "branding variant"}
HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# (field, minimum, maximum, integer?) for the style's numbers; the documented defaults live on the model.
STYLE_NUMBERS = (
    ("font_size_px", 6, 400, True), ("font_weight", 100, 900, True), ("line_height", 0.5, 4.0, False),
    ("vertical_position_pct", 0.0, 1.0, False), ("shadow_blur", 0.0, 50.0, False),
    ("shadow_opacity_pct", 0.0, 1.0, False), ("shadow_offset_x_px", -100, 100, True),
    ("shadow_offset_y_px", -100, 100, True), ("background_opacity", 0.0, 1.0, False),
    ("stroke_thickness_px", 0, 50, True),
)
STYLE_COLOURS = ("text_color", "shadow_color", "background_color", "stroke_color")
MAX_CLIP_MS = 120_000  # intros and outros are stings, not programmes


def _kind_filter(kind: str) -> str | None:
    return str(kind) if kind in MEDIA_KINDS else None


async def get(uow: UnitOfWork, viewer: Viewer, kind: Kind, ident, field: list[str] | None = None):
    found = await repository.get(uow.session, MODELS[kind], viewer.tenant_id, parse_id(ident, LABELS[kind], field),
                                 _kind_filter(kind))
    if found is None:
        raise NotFound(LABELS[kind], ident, field=field)
    return found


async def get_variant(uow: UnitOfWork, viewer: Viewer, branding_id, ident) -> BrandingVariant:
    branding = await get(uow, viewer, Kind.BRANDING, branding_id)
    found = await get(uow, viewer, Kind.VARIANT, ident)
    if found.branding_id != branding.id:
        raise NotFound(LABELS[Kind.VARIANT], ident)
    return found


async def page(uow: UnitOfWork, viewer: Viewer, kind: Kind, first: int | None, after: str | None, offset: int,
               branding_id=None) -> Page:
    branding = (await get(uow, viewer, Kind.BRANDING, branding_id)).id if branding_id else None
    return Page(*await repository.page(uow.session, MODELS[kind], viewer.tenant_id, limit=clamp_first(first, 16),
                                       offset=max(0, offset), after=decode_cursor(after), kind=_kind_filter(kind),
                                       branding_id=branding))


def _name(data: dict, required: bool, fallback: str | None = None) -> str | None:
    value = data.get("name")
    if value is None:
        if required and fallback is None:
            raise ValidationFailed("name is required", field=["input", "name"])
        return fallback if required else None
    value = str(value).strip()
    if not value or len(value) > 200:
        raise ValidationFailed("name must be 1 to 200 characters", field=["input", "name"])
    return value


def colour(value, name: str) -> str:
    match = HEX.match(str(value).strip()) if isinstance(value, str) else None
    if not match:
        raise ValidationFailed(f"{name} must be a hex colour like #050B07", field=["input", name])
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.upper()


# ---------------------------------------------------------------- subtitle styles
async def save_style(uow: UnitOfWork, viewer: Viewer, ident: str | None, data: dict) -> SubtitleStyle:
    creating = ident is None
    style = SubtitleStyle(id=uuid.uuid4(), tenant_id=viewer.tenant_id) if creating else \
        await get(uow, viewer, Kind.SUBTITLE_STYLE, ident)
    name = _name(data, creating)
    if name is not None:
        style.name = name
    if data.get("font_family") is not None or creating:
        # fontconfig is asked once per process (cached), off the event loop.
        family = await asyncio.to_thread(fonts.resolve, data.get("font_family") or "")
        if family is None:
            raise ValidationFailed(f"font_family {data.get('font_family')!r} is not installed; installed families "
                                   f"include {', '.join(fonts.known())}", field=["input", "fontFamily"])
        style.font_family = family
    for field in STYLE_COLOURS:
        value = data.get(field)
        if value is not None:
            setattr(style, field, colour(value, field))
        elif creating and field == "text_color":
            raise ValidationFailed("text_color is required", field=["input", "textColor"])
        elif creating and field == "stroke_color":
            style.stroke_color = "#000000"
    for field, low, high, integer in STYLE_NUMBERS:
        value = data.get(field)
        if value is None:
            if creating:
                setattr(style, field, SubtitleStyle.__table__.c[field].default.arg)
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and int(value) != value) \
                or not low <= value <= high:
            raise ValidationFailed(f"{field} must be {'an integer' if integer else 'a number'} from {low} to {high}",
                                   field=["input", field])
        setattr(style, field, int(value) if integer else float(value))
    if creating:
        repository.add(uow.session, style)
    await uow.session.flush()
    return style


# ---------------------------------------------------------------- overlay and clip media
async def save_media(uow: UnitOfWork, viewer: Viewer, kind: Kind, ident: str | None, data: dict) -> BrandingMedia:
    creating = ident is None
    if creating:
        filename = (data.get("filename") or "").strip() or ("overlay.png" if kind == Kind.OVERLAY else "clip.mp4")
        if len(filename) > 255:
            raise ValidationFailed("filename is longer than 255 characters", field=["input", "filename"])
        media = BrandingMedia(id=uuid.uuid4(), tenant_id=viewer.tenant_id, kind=str(kind), status=CREATED,
                              filename=filename, name=_name(data, True, filename))
        repository.add(uow.session, media)
    else:
        media = await get(uow, viewer, kind, ident)
        name = _name(data, False)
        if name is not None:
            media.name = name
    await uow.session.flush()
    return media


def media_prefix(media: BrandingMedia) -> str:
    return f"t/{media.tenant_id}/branding/{media.id}/"


async def start_upload(uow: UnitOfWork, ports: Ports, viewer: Viewer, kind: Kind, ident: str,
                       parts: int | None) -> tuple[BrandingMedia, MultipartUpload]:
    media = await get(uow, viewer, kind, ident, field=["input", "id"])
    parts = 1 if parts is None else parts
    if not 1 <= parts <= MAX_PARTS:
        raise ValidationFailed(f"parts must be between 1 and {MAX_PARTS}", field=["input", "parts"])
    _not_validating(kind, media)
    # A fresh key per upload: a replaced file never shows through the old key while the new one is probed.
    key = media_prefix(media) + f"{uuid.uuid4().hex[:8]}-{safe_filename(media.filename)}"
    await end_transaction(uow)  # storage is called between two short transactions, never inside one
    upload = await ports.storage.start_multipart(key, parts, ports.settings.upload_url_ttl_s)
    try:
        media = await get(uow, viewer, kind, ident, field=["input", "id"])
        _not_validating(kind, media)
    except DomainError:
        await uow.rollback()
        await ports.storage.abort_multipart(key, upload.upload_id)
        raise
    if media.upload_id:  # the replaced upload is aborted after commit, never inside the transaction
        tombstones.bury(uow, ports, media.upload_key, tenant_id=media.tenant_id, upload_id=media.upload_id)
    media.upload_id, media.upload_key, media.upload_parts, media.status = upload.upload_id, key, parts, UPLOADING
    media.upload_started_at = utcnow()  # the upload sweeper aborts it past UPLOAD_TTL_S
    await uow.session.flush()
    return media, upload


def _not_validating(kind: Kind, media: BrandingMedia) -> None:
    if media.status == PROCESSING:
        raise Conflict(f"{LABELS[kind]} {media.id} is being validated; wait for its upload job", field=["input", "id"])


async def finish_upload(uow: UnitOfWork, ports: Ports, viewer: Viewer, kind: Kind, ident: str,
                        etags: list[str]) -> tuple[BrandingMedia, Job]:
    media = await get(uow, viewer, kind, ident, field=["input", "id"])
    if media.status != UPLOADING or not media.upload_id:
        raise Conflict(f"{LABELS[kind]} {media.id} has no upload in progress; call startUpload first",
                       field=["input", "id"])
    tags = stripped_etags(etags)
    if len(tags) != media.upload_parts:
        raise ValidationFailed(f"expected {media.upload_parts} ETags (one per part), got {len(tags)}",
                               field=["input", "etags"])
    left = await quota.room(uow, ports.settings, media.tenant_id)
    key, upload_id = media.upload_key, media.upload_id
    await end_transaction(uow)  # the parts are assembled between two short transactions
    try:  # the storage quota counts branding media: a file it has no room for is discarded
        size = await ports.storage.complete_multipart(key, upload_id, tags,
                                                      lambda total: quota.ensure_fits(left, total, ["input", "etags"]))
    except QuotaExceeded:
        await ports.storage.abort_multipart(key, upload_id)
        raise
    try:
        media = await get(uow, viewer, kind, ident, field=["input", "id"])
    except NotFound:  # deleted meanwhile: the assembled object belongs to no row
        tombstones.bury(uow, ports, key, tenant_id=viewer.tenant_id)
        await uow.commit()
        raise
    if media.status != UPLOADING or media.upload_id != upload_id:
        raise Conflict(f"{LABELS[kind]} {media.id}'s upload was finished or restarted meanwhile", field=["input", "id"])
    media.status, media.size, media.upload_id, media.upload_started_at = PROCESSING, size, None, None
    await uow.session.flush()
    job = await jobs.create(uow, ports, viewer, kind="branding_upload", priority="high",
                            input={"media_id": str(media.id), "kind": str(kind), "key": media.upload_key})
    return media, job


async def record_probe(uow: UnitOfWork, ports: Ports, media_id: uuid.UUID, key: str, info: dict | None,
                       error: tuple[str, str] | None) -> BrandingMedia | None:
    """The probe's verdict: a usable file becomes the media's file (a replaced one is removed after commit); a
    refused one is removed and leaves the previous file, if any, in use."""
    media = await repository.get_unscoped(uow.session, BrandingMedia, media_id)
    if media is None:
        return None
    if error is not None:
        media.status = READY if media.file_key else FAILED
        media.error_code, media.error_message = error
        unused = key
    else:
        unused = media.file_key
        media.file_key, media.status, media.error_code, media.error_message = key, READY, None, None
        for name in ("width", "height", "duration_ms", "has_alpha", "has_audio", "content_type"):
            setattr(media, name, info.get(name))
    media.upload_key = media.upload_parts = None
    await uow.session.flush()
    if unused and unused != media.file_key:
        tombstones.bury(uow, ports, unused, tenant_id=media.tenant_id)
    return media


# ---------------------------------------------------------------- brandings and variants
async def save_branding(uow: UnitOfWork, viewer: Viewer, ident: str | None, data: dict) -> Branding:
    creating = ident is None
    branding = Branding(id=uuid.uuid4(), tenant_id=viewer.tenant_id) if creating else \
        await get(uow, viewer, Kind.BRANDING, ident)
    name = _name(data, creating)
    if name is not None:
        branding.name = name
    if "subtitle_style_id" in data and data["subtitle_style_id"] is not None:
        value = data["subtitle_style_id"]
        branding.subtitle_style_id = None if value == "" else \
            (await get(uow, viewer, Kind.SUBTITLE_STYLE, value, ["input", "subtitleStyleId"])).id
    if creating:
        repository.add(uow.session, branding)
    await uow.session.flush()
    return branding


def ratio_of(value: str | None, field: list[str]) -> str:
    ratio = (value or "").strip().replace("/", ":")
    if ratio not in ASPECT_RATIOS:
        raise ValidationFailed(f"aspect_ratio must be one of {', '.join(ASPECT_RATIOS)}", field=field)
    return ratio


async def _media_ref(uow: UnitOfWork, viewer: Viewer, value, kind: Kind, name: str) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    return (await get(uow, viewer, kind, value, ["input", name])).id


async def save_variant(uow: UnitOfWork, viewer: Viewer, branding_id: str, ident: str | None,
                       data: dict) -> BrandingVariant:
    branding = await get(uow, viewer, Kind.BRANDING, branding_id, ["input", "brandingId"])
    creating = ident is None
    if creating:
        variant = BrandingVariant(id=uuid.uuid4(), tenant_id=viewer.tenant_id, branding_id=branding.id)
    else:
        variant = await get_variant(uow, viewer, branding.id, ident)
    if data.get("aspect_ratio") is not None or creating:
        variant.aspect_ratio = ratio_of(data.get("aspect_ratio"), ["input", "aspectRatio"])
    for name, kind in (("overlay_id", Kind.OVERLAY), ("intro_id", Kind.CLIP), ("outro_id", Kind.CLIP)):
        if name in data and (data[name] is not None or creating):
            setattr(variant, name, await _media_ref(uow, viewer, data[name], kind, name))
    position = data.get("overlay_position")
    if position is not None:
        if position not in OVERLAY_POSITIONS:
            raise ValidationFailed(f"overlay_position must be one of {', '.join(OVERLAY_POSITIONS)}",
                                   field=["input", "overlayPosition"])
        variant.overlay_position = position
    elif creating:
        variant.overlay_position = "top_right"
    for name, low, high, default in (("overlay_width_pct", 0.01, 1.0, 0.2), ("overlay_margin_pct", 0.0, 0.4, 0.04),
                                     ("overlay_opacity", 0.0, 1.0, 1.0)):
        value = data.get(name)
        if value is None:
            if creating:
                setattr(variant, name, default)
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise ValidationFailed(f"{name} must be a number from {low} to {high}", field=["input", name])
        setattr(variant, name, float(value))
    existing = await repository.variant_for(uow.session, branding.id, variant.aspect_ratio)
    if existing is not None and existing.id != variant.id:
        raise Conflict(f"branding {branding.id} already has a {variant.aspect_ratio} variant ({existing.id})",
                       field=["input", "aspectRatio"])
    if creating:
        repository.add(uow.session, variant)
    try:
        await uow.session.flush()
    except IntegrityError as exc:  # a concurrent request added the same ratio
        raise Conflict(f"branding {branding.id} already has a {variant.aspect_ratio} variant",
                       field=["input", "aspectRatio"]) from exc
    return variant


async def _delete(uow: UnitOfWork, found) -> uuid.UUID:
    await repository.delete(uow.session, found)
    await uow.session.flush()
    return found.id


async def delete_style(uow: UnitOfWork, viewer: Viewer, ident: str) -> uuid.UUID:
    return await _delete(uow, await get(uow, viewer, Kind.SUBTITLE_STYLE, ident))


async def delete_branding(uow: UnitOfWork, viewer: Viewer, ident: str) -> uuid.UUID:
    return await _delete(uow, await get(uow, viewer, Kind.BRANDING, ident))


async def delete_variant(uow: UnitOfWork, viewer: Viewer, branding_id: str, ident: str) -> uuid.UUID:
    return await _delete(uow, await get_variant(uow, viewer, branding_id, ident))


async def delete_media(uow: UnitOfWork, ports: Ports, viewer: Viewer, kind: Kind, ident: str) -> uuid.UUID:
    """An overlay or clip no variant uses; its stored files are removed once the deletion is committed."""
    found = await get(uow, viewer, kind, ident)
    users = await repository.variants_using(uow.session, viewer.tenant_id, found.id)
    if users:
        raise Conflict(f"{LABELS[kind]} {found.id} is used by branding variant {users[0].id}; "
                       "change or delete the variant first", field=["id"])
    if found.upload_id:
        tombstones.bury(uow, ports, found.upload_key, tenant_id=found.tenant_id, upload_id=found.upload_id)
    tombstones.bury(uow, ports, media_prefix(found), tenant_id=found.tenant_id)
    return await _delete(uow, found)


async def variant_for_clip(uow: UnitOfWork, viewer: Viewer, branding: Branding, ratio: str,
                           field: list[str]) -> BrandingVariant:
    variant = await repository.variant_for(uow.session, branding.id, ratio)
    if variant is None:
        raise DomainError(f"branding {branding.id} has no {ratio} variant", field=field,
                          code=ErrorCode.BRANDING_VARIANT_MISSING)
    refs = [(n, getattr(variant, f"{n}_id")) for n in ("overlay", "intro", "outro") if getattr(variant, f"{n}_id")]
    media = {m.id: m for m in await repository.media_by_ids(uow.session, [r for _, r in refs])}
    for name, ref in refs:
        if media.get(ref) is None or not media[ref].file_key:
            raise ValidationFailed(f"the {ratio} variant's {name} ({ref}) has no uploaded file yet", field=field)
    return variant

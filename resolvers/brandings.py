"""Branding resolvers: styles, media and their uploads, brandings and variants."""
from __future__ import annotations

from dataclasses import dataclass

from domain.brandings import service
from resolvers.payloads import mutate


@dataclass
class PageView:
    items: list
    total: int


def _data(input_object) -> dict:
    """The fields the caller gave (None means not given); enums as their values."""
    values = {k: getattr(input_object, k) for k in input_object.__dataclass_fields__ if k not in ("id", "kind")}
    return {k: (v.value if hasattr(v, "value") else v) for k, v in values.items() if v is not None}


async def one(info, kind: str, ident: str):
    ctx = info.context
    return await service.get(ctx.uow, ctx.require_viewer(), kind, ident)


async def variant(info, branding_id: str, ident: str):
    ctx = info.context
    return await service.get_variant(ctx.uow, ctx.require_viewer(), branding_id, ident)


async def many(info, kind: str, first: int | None, offset: int, branding_id: str | None = None) -> PageView:
    ctx = info.context
    return PageView(*await service.page(ctx.uow, ctx.require_viewer(), kind, first, offset, branding_id))


async def variants_of(root, info):
    ctx = info.context
    items, _ = await service.page(ctx.uow, ctx.require_viewer(), "variant", 100, 0, root.id)
    return sorted(items, key=lambda v: v.aspect_ratio)


async def media_url(root, info, expires_in: int) -> str | None:
    if not root.file_key:
        return None
    expires = max(60, min(int(expires_in or 3600), 7 * 24 * 3600))
    return await info.context.ports.storage.signed_url(root.file_key, expires, filename=root.filename,
                                                       content_type=root.content_type)


async def save(info, kind: str, input_object):
    ident = str(input_object.id) if getattr(input_object, "id", None) else None

    async def work(uow, ports, viewer):
        data = _data(input_object)
        if kind == "subtitle_style":
            return {"item": await service.save_style(uow, viewer, ident, data)}
        if kind in ("overlay", "clip"):
            return {"item": await service.save_media(uow, viewer, kind, ident, data)}
        if kind == "branding":
            return {"item": await service.save_branding(uow, viewer, ident, data)}
        return {"item": await service.save_variant(uow, viewer, str(input_object.branding_id), ident, data)}

    return await mutate(info, work)


async def delete(info, kind: str, ident: str, branding_id: str | None = None):
    async def work(uow, ports, viewer):
        return {"deleted_id": await service.delete(uow, ports, viewer, kind, ident, branding_id)}

    return await mutate(info, work)


async def start_upload(info, input_object):
    async def work(uow, ports, viewer):
        media, upload = await service.start_upload(uow, ports, viewer, input_object.kind.value, str(input_object.id),
                                                   input_object.parts)
        return {"item": media, "upload_id": upload.upload_id, "urls": upload.urls, "expires_at": upload.expires_at}

    return await mutate(info, work)


async def finish_upload(info, input_object):
    async def work(uow, ports, viewer):
        media, job = await service.finish_upload(uow, ports, viewer, input_object.kind.value, str(input_object.id),
                                                 input_object.etags)
        return {"item": media, "job": job}

    return await mutate(info, work)

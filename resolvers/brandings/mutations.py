"""Branding mutations: save and delete styles, media, brandings and variants; media uploads."""
from __future__ import annotations

from domain.brandings import service
from resolvers.payloads import mutate


def _data(input_object) -> dict:
    """The fields the caller gave (None means not given); enums as their values."""
    values = {k: getattr(input_object, k) for k in input_object.__dataclass_fields__ if k not in ("id", "kind")}
    return {k: (v.value if hasattr(v, "value") else v) for k, v in values.items() if v is not None}


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

"""Branding mutations: save and delete styles, media, brandings and variants; media uploads."""
from __future__ import annotations

from domain.brandings import service
from resolvers.payloads import mutate
from resolvers.requests import data_of


async def _save(info, input_object, save):
    """One save mutation: `save(uow, viewer, ident, data)`; no id creates, the given fields are the data."""
    ident = str(input_object.id) if input_object.id else None

    async def work(uow, ports, viewer):
        return {"item": await save(uow, viewer, ident, data_of(input_object, exclude=("id", "kind")))}

    return await mutate(info, work)


async def _delete(info, delete):
    async def work(uow, ports, viewer):
        return {"deleted_id": await delete(uow, ports, viewer)}

    return await mutate(info, work)


async def save_subtitle_style(info, input_object):
    return await _save(info, input_object, service.save_style)


async def save_media(info, input_object):
    kind = service.Kind(input_object.kind.value)
    return await _save(info, input_object,
                       lambda uow, viewer, ident, data: service.save_media(uow, viewer, kind, ident, data))


async def save_branding(info, input_object):
    return await _save(info, input_object, service.save_branding)


async def save_variant(info, input_object):
    branding_id = str(input_object.branding_id)
    return await _save(info, input_object, lambda uow, viewer, ident, data: service.save_variant(
        uow, viewer, branding_id, ident, data))


async def delete_subtitle_style(info, ident: str):
    return await _delete(info, lambda uow, ports, viewer: service.delete_style(uow, viewer, ident))


async def delete_media(info, kind, ident: str):
    """`kind` is the schema's BrandingMediaKind: its values are the domain's media kinds."""
    return await _delete(info, lambda uow, ports, viewer: service.delete_media(uow, ports, viewer,
                                                                               service.Kind(kind.value), ident))


async def delete_branding(info, ident: str):
    return await _delete(info, lambda uow, ports, viewer: service.delete_branding(uow, viewer, ident))


async def delete_variant(info, branding_id: str, ident: str):
    return await _delete(info, lambda uow, ports, viewer: service.delete_variant(uow, viewer, branding_id, ident))


async def start_upload(info, input_object):
    async def work(uow, ports, viewer):
        media, upload = await service.start_upload(uow, ports, viewer, service.Kind(input_object.kind.value),
                                                   str(input_object.id), input_object.parts)
        return {"item": media, "upload_id": upload.upload_id, "urls": upload.urls, "expires_at": upload.expires_at}

    return await mutate(info, work)


async def finish_upload(info, input_object):
    async def work(uow, ports, viewer):
        media, job = await service.finish_upload(uow, ports, viewer, service.Kind(input_object.kind.value),
                                                 str(input_object.id), input_object.etags)
        return {"item": media, "job": job}

    return await mutate(info, work)

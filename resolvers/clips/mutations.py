"""Clip mutations: cut, download and export clips; save and delete external storages."""
from __future__ import annotations

from domain.clips import service as clips
from domain.clips.service import ClipRequest
from domain.exports import service as exports
from resolvers.payloads import mutate
from resolvers.requests import request_from


async def create_clips(info, input_object):
    requests = [request_from(c, ClipRequest) for c in input_object.clips]

    async def work(uow, ports, viewer):
        made = await clips.create(uow, ports, viewer, str(input_object.asset_id), requests)
        return {"clips": [c for c, _ in made], "jobs": [j for _, j in made]}

    return await mutate(info, work)


async def download_clips(info, input_object):
    async def work(uow, ports, viewer):
        return {"job": await clips.request_download(uow, ports, viewer, str(input_object.asset_id),
                                                    [str(i) for i in input_object.clip_ids])}

    return await mutate(info, work)


async def export(info, input_object):
    def opt(value):
        return str(value) if value is not None else None

    async def work(uow, ports, viewer):
        job = await exports.request(uow, ports, viewer, str(input_object.external_storage_id),
                                    str(input_object.asset_id), clip_id=opt(input_object.video_clip_id),
                                    transcription_id=opt(input_object.transcription_id),
                                    metadata_id=opt(input_object.metadata_id),
                                    fmt=input_object.format.value if input_object.format else None)
        return {"job": job}

    payload = await mutate(info, work)
    if input_object.wait and payload.job is not None:
        ctx = info.context
        payload.job = await exports.wait(ctx.state.sessionmaker, ctx.require_viewer(), payload.job.id,
                                         ctx.ports.settings.export_wait_s)
    return payload


async def save_storage(info, input_object):
    ident = str(input_object.id) if input_object.id else None
    data = {"name": input_object.name, "type": input_object.type.value if input_object.type else None,
            "destination": input_object.destination, "export_path": input_object.export_path,
            "authentication_data": input_object.authentication_data}

    async def work(uow, ports, viewer):
        return {"item": await exports.save(uow, ports, viewer, ident, data)}

    return await mutate(info, work)


async def delete_storage(info, ident: str):
    async def work(uow, ports, viewer):
        return {"deleted_id": await exports.delete(uow, viewer, ident)}

    return await mutate(info, work)

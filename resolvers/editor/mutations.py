"""Editor mutations: projects and uploads, split/trim/delete, previews and colour grades, each one transaction."""
from __future__ import annotations

from domain.editor import service as editor
from domain.editor import timeline
from domain.editor.grading import BY_NAME
from domain.exports import service as exports
from domain.jobs.models import COMPLETED
from resolvers.payloads import mutate


async def create_project(info, data):
    async def work(uow, ports, viewer):
        project, job = await editor.create_project(uow, ports, viewer, data.name, data.description, data.video_url)
        return {"project": project, "job": job}

    return await mutate(info, work)


async def start_upload(info, data):
    async def work(uow, ports, viewer):
        started = await editor.start_upload(uow, ports, viewer, str(data.project_id), data.file_name,
                                            data.content_type)
        project = await editor.get_project(uow, viewer, str(data.project_id))
        return {"project": project, "upload_url": started.urls[0], "asset_id": started.asset.id,
                "expires_at": started.expires_at.isoformat()}

    return await mutate(info, work)


async def delete_project(info, ident: str):
    async def work(uow, ports, viewer):
        return {"deleted_id": await editor.delete_project(uow, ports, viewer, str(ident))}

    return await mutate(info, work)


async def split_segment(info, data):
    async def work(uow, ports, viewer):
        left, right = await timeline.split(uow, viewer.tenant_id, str(data.segment_id), data.split_ts)
        return {"left": left, "right": right}

    return await mutate(info, work)


async def trim_segment(info, data):
    async def work(uow, ports, viewer):
        return {"segment": await timeline.trim(uow, viewer.tenant_id, str(data.segment_id), data.new_start_ts,
                                               data.new_end_ts)}

    return await mutate(info, work)


async def delete_segment(info, ident: str):
    async def work(uow, ports, viewer):
        return {"deleted_id": await timeline.remove(uow, viewer.tenant_id, str(ident))}

    return await mutate(info, work)


def _grade(data) -> dict:
    return {name: getattr(data, name) for name in BY_NAME}


async def color_grade(info, data):
    async def work(uow, ports, viewer):
        return {"job": await editor.request_grade(uow, ports, viewer, str(data.segment_id), _grade(data))}

    payload = await mutate(info, work)
    if data.wait and payload.job is not None:
        ctx = info.context
        job = await exports.wait(ctx.state.sessionmaker, ctx.require_viewer(), payload.job.id,
                                 ctx.ports.settings.export_wait_s)
        payload.job = job
        if job is not None and job.status == COMPLETED:
            payload.segment = await timeline.get_segment(ctx.uow, job.tenant_id, job.result["segment_id"],
                                                         active=False)
    return payload


async def grade_preview(info, data):
    async def work(uow, ports, viewer):
        return {"preview_frame_url": await editor.grade_preview(uow, ports, viewer, str(data.segment_id),
                                                                _grade(data))}

    return await mutate(info, work)


async def preview_frame(info, data):
    async def work(uow, ports, viewer):
        return {"frames": [await editor.preview_frame(uow, ports, viewer, str(data.project_id), data.ts)]}

    return await mutate(info, work)


async def preview_strip(info, data):
    async def work(uow, ports, viewer):
        return {"frames": await editor.preview_strip(uow, ports, viewer, str(data.project_id), data.start, data.end,
                                                     data.fps)}

    return await mutate(info, work)

"""Export mutation: queue the render of a project's timeline."""
from __future__ import annotations

from domain.timeline_exports import service as exports
from resolvers.payloads import mutate


async def export_timeline(info, input_object):
    async def work(uow, ports, viewer):
        return {"export": await exports.request(uow, ports, viewer, str(input_object.project_id),
                                                input_object.format)}

    return await mutate(info, work)

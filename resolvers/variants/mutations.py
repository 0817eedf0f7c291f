"""Generation mutations: queue variants, accept one onto the timeline."""
from __future__ import annotations

from domain.variants import service
from resolvers.payloads import mutate


async def generate_variants(info, input):
    box = input.bounding_box

    async def work(uow, ports, viewer):
        job = await service.generate(
            uow, ports, viewer, project_id=input.project_id, prompt=input.prompt, start_ts=input.start_ts,
            end_ts=input.end_ts, provider=input.provider,
            bounding_box=None if box is None else {"x": box.x, "y": box.y, "width": box.width, "height": box.height})
        return {"job": job}

    return await mutate(info, work)


async def accept_variant(info, variant_id):
    async def work(uow, ports, viewer):
        variant, segment = await service.accept(uow, ports, viewer, variant_id)
        return {"variant": variant, "segment": segment}

    return await mutate(info, work)

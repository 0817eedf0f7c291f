"""Template, word list and dictionary save/delete mutations."""
from __future__ import annotations

from domain.templates import service
from resolvers.payloads import mutate


def _data(input_object) -> dict:
    values = {k: getattr(input_object, k) for k in input_object.__dataclass_fields__ if k != "id"}
    return {k: (v.__dict__ if hasattr(v, "__dataclass_fields__") else v) for k, v in values.items()}


async def save(info, kind: str, input_object):
    ident = str(input_object.id) if getattr(input_object, "id", None) else None

    async def work(uow, ports, viewer):
        data = _data(input_object)
        if kind == "template":
            saved = await service.save_template(uow, viewer, ident, data)
        elif kind == "dictionary":
            saved = await service.save_dictionary(uow, viewer, ident, data)
        else:
            saved = await service.save_word_list(uow, viewer, kind, ident, data)
        return {"item": saved}

    return await mutate(info, work)


async def delete(info, kind: str, ident: str):
    async def work(uow, ports, viewer):
        return {"deleted_id": await service.delete(uow, viewer, kind, ident)}

    return await mutate(info, work)

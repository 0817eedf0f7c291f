"""Template, word list and dictionary save/delete mutations."""
from __future__ import annotations

from domain.templates import service
from resolvers.payloads import mutate
from resolvers.requests import data_of


async def _save(info, input_object, save):
    """One save mutation: `save(uow, viewer, ident, data)`; no id creates, the given fields are the data."""
    ident = str(input_object.id) if input_object.id else None

    async def work(uow, ports, viewer):
        return {"item": await save(uow, viewer, ident, data_of(input_object, exclude=("id", "kind")))}

    return await mutate(info, work)


async def _delete(info, kind: service.Kind, ident: str):
    async def work(uow, ports, viewer):
        return {"deleted_id": await service.delete(uow, viewer, kind, ident)}

    return await mutate(info, work)


async def save_template(info, input_object):
    return await _save(info, input_object, service.save_template)


async def save_word_list(info, input_object):
    """`input_object.kind` is the schema's WordListKind: its values are the domain's word-list kinds."""
    kind = service.Kind(input_object.kind.value)
    return await _save(info, input_object,
                       lambda uow, viewer, ident, data: service.save_word_list(uow, viewer, kind, ident, data))


async def save_dictionary(info, input_object):
    return await _save(info, input_object, service.save_dictionary)


async def delete_template(info, ident: str):
    return await _delete(info, service.Kind.TEMPLATE, ident)


async def delete_word_list(info, kind, ident: str):
    return await _delete(info, service.Kind(kind.value), ident)


async def delete_dictionary(info, ident: str):
    return await _delete(info, service.Kind.DICTIONARY, ident)

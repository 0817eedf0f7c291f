"""Translation, text translation, retranslation and voice-over mutations."""
from __future__ import annotations

from domain.translation import service, texts, voice_over
from resolvers.payloads import mutate
from resolvers.requests import request_from, webhook_of


async def translate(info, data):
    async def work(uow, ports, viewer):
        request = request_from(data, service.TranslateRequest, webhook=webhook_of(data))
        return {"job": await service.request(uow, ports, viewer, request)}

    return await mutate(info, work)


async def retranslate(info, data):
    async def work(uow, ports, viewer):
        ids = [str(i) for i in data.language_ids] if data.language_ids else None
        return {"job": await service.request_retranslation(uow, ports, viewer, asset_id=str(data.asset_id),
                                                           language_ids=ids, provider=data.provider)}

    return await mutate(info, work)


async def voice_over_asset(info, data):
    async def work(uow, ports, viewer):
        # an empty list means the template's languages, like a missing one
        request = request_from(data, voice_over.VoiceOverRequest, language_ids=data.language_ids or None,
                               webhook=webhook_of(data))
        return {"job": await voice_over.request(uow, ports, viewer, request)}

    return await mutate(info, work)


async def translate_text(info, data):
    async def work(uow, ports, viewer):
        request = request_from(data, texts.TextRequest, webhook=webhook_of(data))
        return {"job": await texts.request(uow, ports, viewer, request)}

    return await mutate(info, work)

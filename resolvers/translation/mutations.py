"""Translation, text translation, retranslation and voice-over mutations."""
from __future__ import annotations

from domain.translation import service, texts, voice_over
from resolvers.payloads import mutate


def _webhook(data):
    return {"url": data.webhook.url, "headers": data.webhook.headers or {}} if getattr(data, "webhook", None) else None


def _value(enum_value):
    return getattr(enum_value, "value", enum_value)


async def translate(info, data):
    async def work(uow, ports, viewer):
        return {"job": await service.request(uow, ports, viewer, service.TranslateRequest(
            str(data.asset_id), [str(i) for i in data.language_ids], data.provider, _value(data.formality),
            _value(data.priority), _webhook(data), data.client_meta))}

    return await mutate(info, work)


async def retranslate(info, data):
    async def work(uow, ports, viewer):
        ids = [str(i) for i in data.language_ids] if data.language_ids else None
        return {"job": await service.request_retranslation(uow, ports, viewer, str(data.asset_id), ids, data.provider)}

    return await mutate(info, work)


async def voice_over_asset(info, data):
    async def work(uow, ports, viewer):
        ids = [str(i) for i in data.language_ids] if data.language_ids else None
        return {"job": await voice_over.request(uow, ports, viewer, voice_over.VoiceOverRequest(
            str(data.asset_id), ids, data.clone_voice, data.mute_original_voice, _value(data.priority),
            _webhook(data)))}

    return await mutate(info, work)


async def translate_text(info, data):
    async def work(uow, ports, viewer):
        return {"job": await texts.request(uow, ports, viewer, texts.TextRequest(
            _value(data.type), data.target_language, data.content, data.url, data.source_language,
            _value(data.formality), _value(data.priority), data.provider, _webhook(data), data.client_meta))}

    return await mutate(info, work)

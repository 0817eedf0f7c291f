"""Resolvers of media analysis."""
from __future__ import annotations

import uuid
from types import SimpleNamespace as View

from strawberry import Info

from domain.analysis import billing, metavision, service
from resolvers.payloads import mutate


async def analyze_video(info, data):
    async def work(uow, ports, viewer):
        webhook = {"url": data.webhook.url, "headers": data.webhook.headers or {}} if data.webhook else None
        return {"job": await service.request(uow, ports, viewer, service.AnalyzeRequest(
            [f.value for f in data.features], str(data.asset_id) if data.asset_id else None, data.url,
            data.audio_track, data.language, data.confidence_threshold, data.profile.value, data.priority.value,
            data.provider, webhook, data.client_meta))}

    return await mutate(info, work)


async def item_file(root, info: Info):
    return await info.context.loaders.file.load(root.file_id) if root.file_id else None


async def items(info, asset_id, kind):
    ctx = info.context
    return await service.items(ctx.uow, ctx.require_viewer(), str(asset_id), kind.value)


async def item(info, asset_id, kind, item_id):
    ctx = info.context
    return await service.item(ctx.uow, ctx.require_viewer(), str(asset_id), kind.value, str(item_id))


async def delete_item(info, asset_id, kind, item_id):
    async def work(uow, ports, viewer):
        return {"deleted_id": await service.delete_item(uow, viewer, str(asset_id), kind.value, str(item_id))}

    return await mutate(info, work)


async def analyze_media(info, data):
    async def work(uow, ports, viewer):
        return {"job": await metavision.request(uow, ports, viewer, metavision.AnalyzeMedia(
            data.media, data.media_base64, data.media_type, data.categories, data.custom_category,
            data.system_prompt, data.model, data.detail, data.transcribe, data.transcribe_diarize,
            data.transcribe_align, data.auth))}

    return await mutate(info, work)


def categories(info):
    info.context.require_viewer()
    vision = any(a.vision for a in metavision.agents(info.context.ports.registry))
    return {"categories": [{"id": c.id, "name": c.name, "description": c.description, "media_types": list(c.media),
                            "needs_vision_model": c.needs_vision, "available": vision or not c.needs_vision}
                           for c in metavision.CATEGORIES],
            "models": [{"id": a.id, "name": a.name, "vision": a.vision}
                       for a in metavision.agents(info.context.ports.registry)]}


def prices(info):
    info.context.require_viewer()
    return billing.prices()


async def balance(info, since, until):
    ctx = info.context
    return await billing.balance(ctx.uow, ctx.require_viewer(), since, until)


async def requests(info, page, limit, status, media_type, since, until):
    ctx = info.context
    return await billing.requests(ctx.uow, ctx.require_viewer(), page, limit, status, media_type, since, until)


async def pipeline_assets(root, info: Info):
    """Signed URLs (anyone with the link, until they expire) of the files a MetaVision job made."""
    files = (root.result or {}).get("pipeline_files") or {}
    out = {}
    for name, ident in files.items():
        stored = await info.context.loaders.file.load(uuid.UUID(ident))
        if stored is not None:
            out[name] = await info.context.ports.storage.signed_url(stored.key, 24 * 3600, filename=stored.filename,
                                                                     content_type=stored.content_type)
    return out


async def asset_analysis(root, info: Info):
    """The asset pipeline's results as one typed object (None until the pipeline has analysed the asset)."""
    items = await info.context.loaders.analysis_by_asset.load(root.id)
    if not items:
        return None
    kind = lambda k: [i for i in items if i.kind == k]  # noqa: E731
    metadata = (kind("metadata") or [View(data={})])[0].data
    return View(
        scenes=[View(index=i.data["index"], start_ms=i.start_ms, end_ms=i.end_ms, file_id=i.file_id) for i in kind("camera_shot")],
        faces=[View(track_id=i.data["track_id"], fingerprint=i.data["fingerprint"], file_id=i.file_id,
                    instances=i.data["instances"]) for i in kind("face")],
        autocenter=[View(scene=i.data["scene"], ms=p["ms"], x=p["x"], y=p["y"]) for i in kind("autocenter")
                    for p in i.data["points"]],
        sound_descriptions=kind("sound_description"), sentiment=metadata.get("sentiment"),
        topics=metadata.get("topics") or [], summary=metadata.get("summary"), ocr=metadata.get("ocr") or [],
        entities=metadata.get("entities") or [], classification=metadata.get("classification"))


async def file_of(root, info: Info):
    return await info.context.loaders.file.load(root.file_id) if root.file_id else None

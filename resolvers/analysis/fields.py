"""Fields of analysis results and of MetaVision jobs, batched through the request's dataloaders."""
from __future__ import annotations

import uuid
from types import SimpleNamespace as View

from strawberry import Info


async def file_of(root, info: Info):
    return await info.context.loaders.file.load(root.file_id) if root.file_id else None


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

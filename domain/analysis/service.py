"""Video analysis requests: features checked against the providers, the asset (or a URL) to analyse, the job."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from domain import urls
from domain.analysis import classification, repository
from domain.analysis.models import ITEM_KINDS, AnalysisItem
from domain.assets import repository as assets_repo
from domain.assets import service as assets
from domain.assets.models import PROCESSING, READY
from domain.db import UnitOfWork
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.ports import Ports
from domain.transcripts.service import transcribable_language
from domain.templates import repository as templates_repo
from domain.templates.models import Template
from domain.tenancy.service import Viewer

KIND = "video_analysis"
FEATURES = ("labels", "scenes", "faces", "speech_to_text", "ocr", "content_moderation", "sentiment", "topics",
            "brands", "summary", "sound_descriptions")
PROFILES = ("low", "balanced", "high", "ultra")


@dataclass
class AnalyzeRequest:
    features: list[str]
    asset_id: str | None = None
    url: str | None = None
    audio_track: int = 0
    language: str | None = None
    confidence_threshold: float = 0.5
    profile: str = "balanced"
    priority: str = "standard"
    provider: str | None = None
    webhook: dict | None = None
    client_meta: dict | None = None
    extra: dict = field(default_factory=dict)


async def request(uow: UnitOfWork, ports: Ports, viewer: Viewer, req: AnalyzeRequest) -> Job:
    features = list(dict.fromkeys(req.features or []))
    if not features:
        raise ValidationFailed("give at least one feature", field=["input", "features"])
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValidationFailed(f"unknown feature(s): {', '.join(unknown)}", field=["input", "features"])
    if not 0 <= req.confidence_threshold <= 1:
        raise ValidationFailed("confidence_threshold must be between 0 and 1", field=["options", "confidence_threshold"])
    if req.profile not in PROFILES:
        raise ValidationFailed(f"profile must be one of {', '.join(PROFILES)}", field=["options", "profile"])
    if req.audio_track < 0:
        raise ValidationFailed("audio_track must not be negative", field=["input", "audio_track"])
    provider = ports.registry.pick("video_analyses", features, req.provider)  # NO_PROVIDER names what is missing
    if req.language not in (None, "", "auto") and "speech_to_text" in features:
        transcribable_language(ports, req.language, ["options", "language"])
    if bool(req.url) == bool(req.asset_id):
        raise ValidationFailed("give an asset id or a url", field=["input", "url"])
    source = {}
    if req.url:
        await urls.check(req.url, allow_private=ports.settings.allow_private_urls, field=["input", "url"])
        name = PurePosixPath(urlsplit(req.url).path).name or "download"
        asset = await assets.create(uow, viewer, assets.NewAsset(filename=name[:200]))
        asset.status = PROCESSING
        await uow.session.flush()
        source = {"url": req.url}
    else:
        asset = await assets.get(uow, viewer, req.asset_id, field=["input", "assetId"])
        if asset.status != READY:
            raise Conflict(f"asset {asset.id} is {asset.status}; it can be analysed once ready", field=["input", "assetId"])
    return await jobs.create(uow, ports, viewer, kind=KIND, asset_id=asset.id, provider=provider.id,
                             input={"asset_id": str(asset.id), "features": features, "audio_track": req.audio_track,
                                    **source},
                             options={"language": req.language or "auto", "confidence_threshold": req.confidence_threshold,
                                      "profile": req.profile, "priority": req.priority, **req.extra},
                             priority=req.priority, webhook=req.webhook, client_meta=req.client_meta)


PIPELINE_FEATURES = ["scenes", "faces", "sentiment", "topics", "summary", "sound_descriptions"]


async def request_for_pipeline(uow: UnitOfWork, ports: Ports, asset, parent_id=None) -> Job | None:
    """MediaCopilot's metadata, made after the transcript: shots, faces, autocenter, sound, sentiment, topics."""
    local = ports.registry.get("local")
    offered = set(local.resources["video_analyses"].features) if local and "video_analyses" in local.resources else set()
    features = [f for f in PIPELINE_FEATURES if f in offered or f == "sound_descriptions"]
    template = (await templates_repo.get(uow.session, Template, asset.tenant_id, asset.template_id)
                if asset.template_id else None)
    if template is not None and template.enabled_ocr and "ocr" in offered:
        features.append("ocr")
    if not features:
        return None
    viewer = Viewer(tenant_id=asset.tenant_id, name="pipeline")
    return await jobs.create(uow, ports, viewer, kind=KIND, asset_id=asset.id, provider="local", parent_id=parent_id,
                             input={"asset_id": str(asset.id), "features": features, "audio_track": 0},
                             options={"language": "auto", "confidence_threshold": 0.5, "profile": "balanced",
                                      "pipeline": True}, priority="low")


async def record_items(uow: UnitOfWork, job: Job, result: dict) -> int:
    """The pipeline's results as addressable items, replacing the asset's earlier ones."""
    def item(item_kind, start=None, end=None, file_id=None, **data):
        return AnalysisItem(id=uuid.uuid4(), tenant_id=job.tenant_id, asset_id=job.asset_id, job_id=job.id,
                            kind=item_kind,
                            start_ms=start, end_ms=end, file_id=uuid.UUID(file_id) if file_id else None, data=data)

    items = [item("camera_shot", s["start_ms"], s["end_ms"], s.get("thumbnail_file_id"), index=s["index"])
             for s in result.get("scenes") or []]
    items += [item("face", f["instances"][0]["start_ms"], f["instances"][-1]["end_ms"], f.get("crop_file_id"),
                   track_id=f["track_id"], fingerprint=f["fingerprint"], instances=f["instances"])
              for f in result.get("faces") or []]
    by_scene: dict[int, list] = {}
    for point in result.get("autocenter") or []:
        by_scene.setdefault(point["scene"], []).append({"ms": point["ms"], "x": point["x"], "y": point["y"]})
    scenes = {s["index"]: s for s in result.get("scenes") or []}
    items += [item("autocenter", scenes.get(n, {}).get("start_ms"), scenes.get(n, {}).get("end_ms"), scene=n,
                   points=points) for n, points in by_scene.items()]
    items += [item("sound_description", c["start_ms"], c["end_ms"], kind=c["kind"], text=c["text"])
              for c in result.get("sound_descriptions") or []]
    metadata = {k: result[k] for k in ("sentiment", "topics", "summary", "ocr") if k in result}
    texts = [s["text"] for s in result.get("speech_segments") or []] + [o["text"] for o in result.get("ocr") or []]
    found = classification.entities(texts, result.get("topics") or [])
    genre = classification.classify(texts + [t["name"] for t in result.get("topics") or []],
                                    result.get("sound_descriptions") or [],
                                    (result.get("video_metadata") or {}).get("duration_ms"))
    if metadata or found:
        items.append(item("metadata", 0, (result.get("video_metadata") or {}).get("duration_ms"), **metadata,
                          entities=found, classification=genre))
    asset = await assets_repo.get_unscoped(uow.session, job.asset_id)
    asset.sentiment = (result.get("sentiment") or {}).get("overall")
    asset.classification = genre
    asset.entities = "|" + "|".join(found) + "|" if found else None
    await repository.replace(uow.session, job.asset_id, list(ITEM_KINDS), items)
    await uow.session.flush()
    return len(items)


async def items(uow: UnitOfWork, viewer: Viewer, asset_id: str, kind: str):
    asset = await assets.get(uow, viewer, asset_id)
    return await repository.for_asset(uow.session, viewer.tenant_id, asset.id, kind)


async def item(uow: UnitOfWork, viewer: Viewer, asset_id: str, kind: str, item_id: str):
    asset = await assets.get(uow, viewer, asset_id)
    found = await repository.get(uow.session, viewer.tenant_id, asset.id, jobs.parse_id(item_id, kind), kind)
    if found is None:
        raise NotFound(kind.replace("_", " "), item_id)
    return found


async def delete_item(uow: UnitOfWork, viewer: Viewer, asset_id: str, kind: str, item_id: str) -> uuid.UUID:
    found = await item(uow, viewer, asset_id, kind, item_id)
    await repository.delete(uow.session, found)
    await uow.session.flush()
    return found.id

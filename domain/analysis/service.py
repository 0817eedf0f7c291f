"""Video analysis requests: features checked against the providers, the asset (or a URL) to analyse, the job."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from domain import urls
from domain.assets import service as assets
from domain.assets.models import PROCESSING, READY
from domain.db import UnitOfWork
from domain.errors import Conflict, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.ports import Ports
from domain.tenancy.service import Viewer

KIND = "video_analysis"
FEATURES = ("labels", "scenes", "faces", "speech_to_text", "ocr", "content_moderation", "sentiment", "topics",
            "brands", "summary")
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
        from domain.transcripts.service import transcribable_language

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

"""MetaVision requests: the category catalog, agents, quality profiles, prices, protected-source credentials, and
the one media-analysis job (optimizing -> transcribing -> analyzing) they become."""
from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from domain import urls
from domain.assets import probing
from domain.assets import service as assets
from domain.assets.models import PROCESSING
from domain.db import UnitOfWork
from domain.errors import NoLanguageModel, ValidationFailed
from domain.jobs import service as jobs
from domain.jobs.models import Job
from domain.ports import Ports
from domain.tenancy.service import Viewer

KIND = "media_analysis"
NAMESPACE = uuid.UUID("0b1d5a3e-7c55-4f1c-9a0e-5d8f7f3e21aa")
MEDIA_TYPES = ("image", "video", "audio")
PROFILES = {"low": ("Low", 1), "balanced": ("Balanced", 1), "high": ("High", 2), "ultra": ("Ultra", 4)}
PRICES = {"image": 0.005, "video": 0.01, "audio": 0.008}
MAX_BASE64_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str
    needs_vision: bool = False  # answered by the vision-language model when one is configured
    media: tuple[str, ...] = MEDIA_TYPES
    derivable: bool = False  # without one, the local agent derives it from what it measured (domain/analysis/derived.py)


CATEGORIES = [
    Category("scenes", "Scenes", "Shot boundaries with a thumbnail each", media=("video",)),
    Category("faces", "Faces", "Distinct faces and when they appear", media=("image", "video")),
    Category("on_screen_text", "On-screen text", "Text shown in the picture (OCR)", media=("image", "video")),
    Category("keywords", "Keywords", "Key phrases from the speech and the on-screen text"),
    Category("transcript_summary", "Transcript summary", "An extractive summary of what is said",
             media=("video", "audio")),
    Category("sentiment", "Sentiment", "Tone of what is said, -1..1", media=("video", "audio")),
    Category("moderation", "Content moderation", "Explicit or suggestive imagery", media=("image", "video")),
    Category("title", "Title", "A short title for the media", needs_vision=True, derivable=True),
    Category("description", "Description", "What the picture shows, in prose", needs_vision=True, derivable=True),
    Category("objects", "Objects", "Objects and actions seen", needs_vision=True),
    Category("brands", "Brands", "Logos and visual trademarks", needs_vision=True),
]
BY_ID = {c.id: c for c in CATEGORIES}


@dataclass(frozen=True)
class Agent:
    id: str
    name: str
    vision: bool


LOCAL_AGENT = Agent(str(uuid.uuid5(NAMESPACE, "local-v1")), "local-v1", False)


def agents(registry) -> list[Agent]:
    found = [LOCAL_AGENT]
    if any("vision" in p.resources["language_model"].features for p in registry.all("language_model")):
        found.append(Agent(str(uuid.uuid5(NAMESPACE, "vision-v1")), "vision-v1", True))
    return found


@dataclass(frozen=True)
class Offered:
    """A category as listed to a client: its media types, and whether a configured model can answer it."""
    id: str
    name: str
    description: str
    media_types: list[str]
    needs_vision_model: bool
    available: bool


@dataclass(frozen=True)
class Catalog:
    categories: list[Offered]
    models: list[Agent]


def answerable_locally(category: Category) -> bool:
    return not category.needs_vision or category.derivable


def catalog(registry) -> Catalog:
    models = agents(registry)
    vision = any(a.vision for a in models)
    return Catalog(categories=[Offered(id=c.id, name=c.name, description=c.description, media_types=list(c.media),
                                       needs_vision_model=c.needs_vision and not c.derivable,
                                       available=vision or answerable_locally(c))
                               for c in CATEGORIES], models=models)


def billed(media_type: str, categories: int, profile: str, transcribe: bool) -> float:
    """Categories x price x quality multiplier, plus a flat 1x price for transcription."""
    price = PRICES[media_type]
    return round(categories * price * PROFILES[profile][1] + (price if transcribe else 0.0), 6)


@dataclass
class AnalyzeMedia:
    media: str | None = None
    media_base64: str | None = None
    media_type: str | None = None
    categories: list[str] | None = None
    custom_category: str | None = None
    system_prompt: str | None = None
    model: str | None = None
    detail: str = "balanced"
    transcribe: bool = False
    transcribe_diarize: bool = False
    transcribe_align: bool = False
    auth: dict | None = None
    decoded: bytes | None = field(default=None, repr=False)


def _bad(message: str, name: str) -> ValidationFailed:
    return ValidationFailed(message, field=[name])


def check_auth(auth: dict | None, has_url: bool) -> dict | None:
    """Credentials for a protected source, validated; they are used for the download alone."""
    if not auth:
        return None
    if not has_url:
        raise _bad("auth is only valid with media (a URL), not with media_base64", "auth")
    cookies_txt, cookie_string, headers = auth.get("cookies_txt"), auth.get("cookie_string"), auth.get("headers")
    if cookies_txt is not None:
        if not isinstance(cookies_txt, str) or len(cookies_txt.encode()) > 64 * 1024:
            raise _bad("auth.cookies_txt must be a Netscape cookies.txt of at most 64 KB", "auth")
        for line in cookies_txt.splitlines():
            if line.strip() and not line.startswith("#") and len(line.split("\t")) != 7:
                raise _bad("auth.cookies_txt is not in Netscape format (7 tab-separated fields a line)", "auth")
    if cookie_string is not None:
        if not isinstance(cookie_string, str) or len(cookie_string.encode()) > 8 * 1024 or \
                any(c in cookie_string for c in "\r\n\0"):
            raise _bad("auth.cookie_string must be at most 8 KB without CR, LF or NUL", "auth")
    if headers is not None:
        if not isinstance(headers, dict) or len(headers) > 20:
            raise _bad("auth.headers must be an object of at most 20 entries", "auth")
        for name, value in headers.items():
            if not urls.HEADER_NAME.fullmatch(str(name)):
                raise _bad(f"auth.headers: {name!r} is not a valid header name", "auth")
            if not isinstance(value, str) or len(value.encode()) > 4096 or any(c in value for c in "\r\n\0"):
                raise _bad(f"auth.headers: the value of {name} must be at most 4 KB without CR, LF or NUL", "auth")
    return {"cookies_txt": cookies_txt, "cookie_string": cookie_string, "headers": headers or {}}


def validate(registry, req: AnalyzeMedia) -> tuple[list[str], Agent]:
    """Everything MetaVision refuses with a 400, checked before any work is queued."""
    if bool(req.media) == bool(req.media_base64):
        raise _bad("give one of media (a URL) or media_base64", "media")
    if req.media_type not in MEDIA_TYPES:
        raise _bad("media_type must be image, video or audio", "media_type")
    if req.media_base64:
        try:
            req.decoded = base64.b64decode(req.media_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _bad("media_base64 is not valid base64", "media_base64") from exc
        if len(req.decoded) > MAX_BASE64_BYTES:
            raise _bad("media_base64 is larger than 2 MB", "media_base64")
    if req.detail not in PROFILES:
        raise _bad(f"detail must be one of {', '.join(PROFILES)}", "detail")
    if req.media_type == "image" and (req.transcribe or req.transcribe_diarize or req.transcribe_align):
        raise _bad("transcription is only for audio and video", "transcribe")
    if req.custom_category is not None and len(req.custom_category) > 5000:
        raise _bad("custom_category is longer than 5000 characters", "custom_category")
    if req.system_prompt is not None and "{{CATEGORY_PROMPT}}" not in req.system_prompt:
        raise _bad("system_prompt must contain the {{CATEGORY_PROMPT}} placeholder", "system_prompt")
    available = agents(registry)
    agent = available[-1]
    if req.model:
        try:
            uuid.UUID(req.model)
        except ValueError as exc:
            raise _bad("model must be an agent UUID", "model") from exc
        agent = next((a for a in available if a.id == req.model), None)
        if agent is None:
            raise _bad(f"unknown model {req.model}", "model")
    wanted = list(dict.fromkeys(req.categories)) if req.categories else [
        c.id for c in CATEGORIES if req.media_type in c.media and (agent.vision or answerable_locally(c))]
    unknown = [c for c in wanted if c not in BY_ID]
    if unknown:
        raise ValidationFailed(f"unknown categories: {', '.join(unknown)}", field=["categories"])
    vision = [c for c in wanted if not answerable_locally(BY_ID[c]) and not agent.vision]
    if vision:
        raise ValidationFailed(f"categories {', '.join(vision)} need a vision-language model, and none is "
                               "configured", field=["categories"])
    if req.custom_category and not any("summary" in p.resources["language_model"].features
                                       for p in registry.all("language_model") if p.id != "local"):
        raise NoLanguageModel("custom_category needs a language-model provider (OPENAI_BASE_URL); none is "
                              "configured", field=["custom_category"])
    return wanted, agent


async def request(uow: UnitOfWork, ports: Ports, viewer: Viewer, req: AnalyzeMedia) -> Job:
    categories, agent = validate(ports.registry, req)
    credentials = check_auth(req.auth, bool(req.media))
    extension = {"image": "png", "video": "mp4", "audio": "wav"}[req.media_type]
    asset_id = uuid.uuid4()
    key = None
    if req.decoded is not None:  # stored before any row is written: no file I/O inside the transaction
        import tempfile
        from pathlib import Path

        key = assets.asset_prefix(viewer.tenant_id, asset_id) + f"original/upload.{extension}"
        with tempfile.NamedTemporaryFile(prefix="mg-mv-") as tmp:
            tmp.write(req.decoded)
            tmp.flush()
            size = await ports.storage.put_file(key, Path(tmp.name), "application/octet-stream")
    else:
        await urls.check(req.media, allow_private=ports.settings.allow_private_urls, field=["media"])
    name = PurePosixPath(urlsplit(req.media).path).name if req.media else f"upload.{extension}"
    asset = await assets.create(uow, viewer, assets.NewAsset(filename=(name or "media")[:200], asset_id=asset_id))
    asset.status = PROCESSING
    if key is not None:
        await probing.record_original(uow, asset, key, size)
    await uow.session.flush()
    job = await jobs.create(uow, ports, viewer, kind=KIND, asset_id=asset.id, provider="local",
                            input={"media": req.media, "media_type": req.media_type, "categories": categories,
                                   "custom_category": req.custom_category, "system_prompt": req.system_prompt,
                                   "authenticated": credentials is not None},
                            options={"detail": req.detail, "transcribe": req.transcribe,
                                     "transcribe_diarize": req.transcribe_diarize,
                                     "transcribe_align": req.transcribe_align, "model": agent.id,
                                     "model_name": agent.name})
    if credentials is not None and ports.ephemeral is not None:
        # Encrypted, short-lived, outside the database: the worker takes them once for the download.
        ports.ephemeral.put(f"auth:{job.id}", credentials, ttl_s=900)
    return job

"""The generation and scoring providers of the editor: which exist here, which a prompt goes to, and whether each
answers (a short, briefly cached check for /api/ai/health).

Generation: `local` (always; the region edits of domain.variants.operations, rendered by ffmpeg) and `remote` (when
GENERATION_PROVIDER_URL is set; the HTTP protocol in README "AI generation", client in
workers/engines/editing/remote.py). Scoring: `local-metrics` (always; PSNR/SSIM and per-operation measures on decoded
frames) and `vision-language` (the OpenAI-compatible model of OPENAI_BASE_URL when OPENAI_VISION is on).
"""
from __future__ import annotations

import asyncio
import time

import httpx

from domain.errors import UnsupportedPrompt
from domain.variants import operations

LOCAL, REMOTE = "local", "remote"
LOCAL_METRICS, VISION = "local-metrics", "vision-language"
HEALTH_TIMEOUT_S = 2.0
HEALTH_CACHE_S = 15.0
_checked: dict[str, tuple[float, dict]] = {}


def remote_configured(settings) -> bool:
    return bool(getattr(settings, "generation_provider_url", None))


def vision_configured(settings) -> bool:
    return bool(settings.openai_base_url and settings.openai_vision)


def choose(settings, prompt: str, requested: str | None) -> tuple[str, str]:
    """(provider, operation) for a prompt: a local region edit when the prompt names one, else the remote provider
    when configured ("generative"); `requested` pins one. Unmappable for every available provider: 422."""
    operation = operations.operation_for(prompt)
    remote = remote_configured(settings)
    if requested not in (None, "", LOCAL, REMOTE):
        raise UnsupportedPrompt(f"unknown generation provider {requested!r}; available: "
                                f"{', '.join([LOCAL] + ([REMOTE] if remote else []))}", field=["provider"])
    if requested == REMOTE and not remote:
        raise UnsupportedPrompt("no remote generation provider is configured (GENERATION_PROVIDER_URL)",
                                field=["provider"])
    if requested == REMOTE:
        return REMOTE, "generative"
    if operation is not None:
        return LOCAL, operation
    if requested != LOCAL and remote:
        return REMOTE, "generative"
    raise UnsupportedPrompt(f"the prompt names no edit this server can perform; the local provider can: "
                            f"{operations.listing()}" + ("" if remote else
                                                         " (no remote generation provider is configured)"),
                            field=["prompt"])


async def _reach(url: str, headers: dict | None = None) -> dict:
    """Reachable means an HTTP answer of any status within the timeout (a 404 still shows the server is up)."""
    cached = _checked.get(url)
    if cached and time.monotonic() - cached[0] < HEALTH_CACHE_S:
        return cached[1]
    try:
        async with httpx.AsyncClient(timeout=HEALTH_TIMEOUT_S, follow_redirects=False) as client:
            answer = await client.get(url, headers=headers)
        found = {"reachable": True, "detail": f"GET {url} answered HTTP {answer.status_code}"}
    except httpx.HTTPError as exc:
        found = {"reachable": False, "detail": f"GET {url} failed: {type(exc).__name__}"}
    _checked[url] = (time.monotonic(), found)
    return found


async def health(settings) -> list[dict]:
    """Every generation and scoring provider: configured, reachable (checked now, or within HEALTH_CACHE_S)."""
    local_ops = sorted(operations.OPERATIONS)
    rows = [
        {"id": LOCAL, "name": "Local region edits (ffmpeg)", "role": "generation", "configured": True,
         "reachable": True, "operations": local_ops, "detail": "runs in the worker"},
        {"id": LOCAL_METRICS, "name": "Local measures (PSNR, SSIM, sharpness, saturation)", "role": "scoring",
         "configured": True, "reachable": True, "operations": ["original", "prompt"], "detail": "runs in the worker"},
    ]
    remote = {"id": REMOTE, "name": "Remote generation provider", "role": "generation",
              "configured": remote_configured(settings), "reachable": False, "operations": ["generative"],
              "detail": "GENERATION_PROVIDER_URL is not set"}
    vision = {"id": VISION, "name": f"Vision-language model ({settings.openai_model})", "role": "scoring",
              "configured": vision_configured(settings), "reachable": False, "operations": ["prompt"],
              "detail": "OPENAI_BASE_URL with OPENAI_VISION is not set"}
    checks = []
    if remote["configured"]:
        key = settings.generation_provider_api_key
        checks.append((remote, _reach(settings.generation_provider_url + "/v1/health",
                                      {"authorization": f"Bearer {key}"} if key else None)))
    if vision["configured"]:
        checks.append((vision, _reach(settings.openai_base_url + "/models")))
    for row, found in zip([r for r, _ in checks], await asyncio.gather(*(c for _, c in checks))):
        row.update(found)
    return rows + [remote, vision]

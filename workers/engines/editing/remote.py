"""Client of the remote generation provider (README "AI generation"): submit a range and a prompt, poll until the
variants are ready, fetch each through the guarded downloader.

    POST {base}/v1/edits   {prompt, box {x,y,width,height}, start_s, end_s, media_url, variants}  -> 202 {id}
    GET  {base}/v1/edits/{id}   -> {status: pending|running|completed|failed, error, variants: [{url}]}
    GET  {base}/v1/health       -> any answer: the provider is up
"""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from domain.errors import DomainError, ErrorCode
from workers.engines import download

POLL_S = 0.5


def _unavailable(message: str) -> DomainError:
    return DomainError(f"remote generation provider: {message}"[:300], code=ErrorCode.PROVIDER_UNAVAILABLE)


async def generate(settings, *, prompt: str, box: dict, duration_s: float, media_url: str, count: int,
                   folder: Path, on_poll=None) -> list[Path]:
    """The provider's variants of the clip at `media_url`, downloaded into `folder`."""
    base = settings.generation_provider_url
    key = settings.generation_provider_api_key
    headers = {"authorization": f"Bearer {key}"} if key else {}
    deadline = time.monotonic() + settings.generation_timeout_s
    async with httpx.AsyncClient(timeout=settings.provider_timeout_s, headers=headers) as client:
        try:
            made = await client.post(f"{base}/v1/edits", json={
                "prompt": prompt, "box": box, "start_s": 0.0, "end_s": round(duration_s, 3), "media_url": media_url,
                "variants": count})
            if made.status_code not in (200, 201, 202):
                raise _unavailable(f"submit answered HTTP {made.status_code}: {made.text[:120]}")
            edit_id = str(made.json()["id"])
            while True:
                got = await client.get(f"{base}/v1/edits/{edit_id}")
                if got.status_code != 200:
                    raise _unavailable(f"status answered HTTP {got.status_code}")
                state = got.json()
                if state.get("status") == "failed":
                    raise DomainError(f"remote generation failed: {state.get('error') or 'no reason given'}"[:300],
                                      code=ErrorCode.PROVIDER_UNAVAILABLE)
                if state.get("status") == "completed":
                    break
                if time.monotonic() > deadline:
                    raise _unavailable(f"no variants after {settings.generation_timeout_s:g} s")
                if on_poll is not None:
                    await on_poll(state.get("status"))
                await asyncio.sleep(POLL_S)
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise _unavailable(f"{type(exc).__name__}") from exc
    urls = [v.get("url") for v in state.get("variants") or [] if isinstance(v, dict) and v.get("url")]
    if not urls:
        raise _unavailable("completed without variants")
    paths = []
    for n, url in enumerate(urls[:count]):
        dest = folder / f"remote-{n}.bin"
        await download.fetch(url, dest, max_bytes=settings.max_download_bytes, allow_private=settings.allow_private_urls)
        paths.append(dest)
    return paths

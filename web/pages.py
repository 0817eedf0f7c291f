"""Static routes for the console (/console/), its vendored npm files (/vendor/) and the IDE pages' scripts (/ide/), and
the Content-Security-Policy every page of ours is served with."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from litestar import Response
from litestar.static_files import create_static_files_router

log = logging.getLogger("mediagraph.web")
ROOT = Path(__file__).resolve().parent
VENDOR = ROOT / "vendor"

# Scripts and styles come from this origin only, as files: no inline script, no eval, no CDN. Inline style attributes
# are allowed (React components, CodeMirror and Swagger UI set them); they cannot run script.
_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(file_origins: tuple[str, ...] = ()) -> str:
    """The CSP, letting the page fetch, play and show files from the origins that serve stored files (signed URLs)."""
    extra = {"connect-src", "media-src", "img-src"}
    return "; ".join(" ".join([name, *sources, *(file_origins if name in extra else ())])
                     for name, sources in _POLICY.items())


def headers(file_origins: tuple[str, ...] = ()) -> dict[str, str]:
    return {"Content-Security-Policy": policy(file_origins), "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


HEADERS = headers()


def file_origins(public_base_url: str, s3_endpoint_url: str | None, s3_bucket: str, aws_region: str,
                 storage: str) -> tuple[str, ...]:
    """Where signed file URLs point: the public base URL (local storage) or the S3 endpoint (and its bucket host)."""
    if storage != "s3":
        parts = urlsplit(public_base_url)
        return (f"{parts.scheme}://{parts.netloc}",)
    if s3_endpoint_url:
        parts = urlsplit(s3_endpoint_url)
        return (f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{s3_bucket}.{parts.netloc}")
    return (f"https://{s3_bucket}.s3.{aws_region}.amazonaws.com", f"https://s3.{aws_region}.amazonaws.com")


def routers(origins: tuple[str, ...]) -> list:
    """/console/ (index.html at the folder), /vendor/ and /ide/, every response with the security headers."""
    page_headers = headers(origins)

    def secure(response: Response) -> Response:
        response.headers.update(page_headers)
        return response

    if not (VENDOR / "VERSIONS.json").is_file():
        # The API works without them; the console, GraphiQL and Swagger UI pages would not render.
        log.error("web/vendor/ is missing: run `make web` (npm ci in tools/web/, then the files are copied)")
    return [
        create_static_files_router("/console", [ROOT / "console"], html_mode=True, name="console", after_request=secure),
        create_static_files_router("/vendor", [VENDOR], name="vendor", after_request=secure),
        create_static_files_router("/ide", [ROOT / "ide"], name="ide", after_request=secure),
    ]

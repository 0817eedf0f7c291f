"""Export path templates: `{asset_id}`, `{asset_external_id}`, `{video_clip_id}` (and the subtitle and metadata ids)."""
from __future__ import annotations

import posixpath
import re
import string

from domain.errors import ValidationFailed

VARIABLES = ("asset_id", "asset_external_id", "video_clip_id", "transcription_id", "metadata_id", "format", "language")
DEFAULT = "mediagraph/{asset_id}/"
_UNSAFE = re.compile(r"[^A-Za-z0-9._/=+@-]")


def validate(template: str | None, field: list[str]) -> str | None:
    if template is None:
        return None
    template = template.strip()
    if not template:
        return None
    if len(template) > 1000:
        raise ValidationFailed("export_path is longer than 1000 characters", field=field)
    try:
        names = [name for _, name, spec, conv in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValidationFailed(f"export_path is not a valid template: {exc}", field=field) from exc
    unknown = [n for n in names if n not in VARIABLES]
    if unknown:
        raise ValidationFailed(f"export_path names unknown variable {{{unknown[0]}}}; known: "
                               + ", ".join("{" + v + "}" for v in VARIABLES), field=field)
    if ".." in template.split("/"):
        raise ValidationFailed("export_path must not climb out of the destination with '..'", field=field)
    return template


def render(template: str | None, default_name: str, *, clip: bool = False, **values: str | None) -> str:
    """The object key. A template whose last segment is a file name (has a dot or `{video_clip_id}`) names a clip's
    file; any other template, and every subtitle or metadata export, is a folder that gets `default_name`."""
    values = {name: _UNSAFE.sub("_", str(values.get(name) or "")) for name in VARIABLES}
    if not values["asset_external_id"]:
        values["asset_external_id"] = values["asset_id"]  # an asset without your id still lands somewhere stable
    template = template or DEFAULT
    head, _, tail = template.rpartition("/")
    names_file = bool(tail) and ("." in tail or "{video_clip_id}" in tail)
    if names_file and clip:
        key = template.format(**values)
        if not posixpath.splitext(key)[1]:
            key += ".mp4"
    else:
        folder = (head if names_file else template).format(**values)
        key = (folder.rstrip("/") + "/" if folder.strip("/") else "") + default_name
    return posixpath.normpath("/" + key).lstrip("/")

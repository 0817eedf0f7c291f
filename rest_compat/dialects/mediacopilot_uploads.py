"""MediaCopilot's multipart upload shapes, shared by assets, overlays and branding clips."""
from __future__ import annotations

import msgspec


class UploadPart(msgspec.Struct):
    part_number: int
    url: str


class StartedUpload(msgspec.Struct):
    upload_id: str
    parts: list[UploadPart]
    expires_at: str


class StartUpload(msgspec.Struct, forbid_unknown_fields=True):
    parts: int = 1


class FinishUpload(msgspec.Struct, forbid_unknown_fields=True):
    etags: list[str] | str

"""MediaCopilot's multipart upload shapes, shared by assets, overlays and branding clips."""
from __future__ import annotations

from typing import Annotated

import msgspec

from rest_compat.dialects.common import documented


class UploadPart(msgspec.Struct):
    part_number: int
    url: str


class StartedUpload(msgspec.Struct):
    upload_id: str
    parts: list[UploadPart]
    expires_at: str


class StartUpload(msgspec.Struct, forbid_unknown_fields=True):
    parts: Annotated[int, documented(minimum=1, maximum=10_000)] = 1  # the service's MAX_PARTS


class StartAssetUpload(StartUpload, forbid_unknown_fields=True):
    """An asset's upload may declare its total `size` in bytes: checked against the storage quota at once and
    against the parts at finish_upload (required when the account has a quota)."""

    size: Annotated[int, documented(minimum=0)] | None = None


class FinishUpload(msgspec.Struct, forbid_unknown_fields=True):
    etags: list[str] | str

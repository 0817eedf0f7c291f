"""S3's multipart rules, enforced by every storage adapter so a client that works on one works on the other."""
from __future__ import annotations

from domain.errors import ValidationFailed

MIN_PART_BYTES = 5 * 1024 * 1024  # every part but the last (S3: EntityTooSmall)
MAX_PARTS = 10_000


def check_count(parts: int, field: list[str] | None = None) -> None:
    if not 1 <= parts <= MAX_PARTS:
        raise ValidationFailed(f"parts must be between 1 and {MAX_PARTS}", field=field or ["input", "parts"])


def check_sizes(sizes: list[int]) -> None:
    """The error S3 answers at completion (EntityTooSmall), raised before it is asked: the same code, field and
    status on both adapters, and the upload stays open so the client can upload bigger parts and finish again."""
    check_count(len(sizes), ["input", "etags"])
    for number, size in enumerate(sizes[:-1], start=1):
        if size < MIN_PART_BYTES:
            raise ValidationFailed(
                f"storage refused the parts: EntityTooSmall (part {number} is {size} bytes; every part but the "
                f"last must be at least {MIN_PART_BYTES} bytes, 5 MiB)", field=["input", "etags"])

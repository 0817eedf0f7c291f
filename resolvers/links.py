"""Signed links: how long a caller may ask one to live."""
from __future__ import annotations

MIN_S = 60
MAX_S = 7 * 24 * 3600


def expiry_seconds(expires_in: int | None) -> int:
    """The asked lifetime (an hour when not given), kept between a minute and a week."""
    return max(MIN_S, min(int(expires_in or 3600), MAX_S))

"""Clip geometry: the crop window for a ratio, the fixed output size, and a smoothed crop path over time.

Output size rule: the output's short side is 1080 px, or the source's short side when that is smaller (never
upscaled past it); the long side follows the ratio; both even (H.264 4:2:0). So 9:16 from HD and larger is
1080x1920, 1:1 is 1080x1080, 4:5 is 1080x1350, 16:9 is 1920x1080; from a 640x360 source 9:16 is 360x640.
"""
from __future__ import annotations

from dataclasses import dataclass

SHORT_SIDE = 1080
MAX_PAN_PER_S = 0.35  # of the source width (or height) per second: fast enough to follow, calm enough to watch
DEADZONE = 0.04  # of the source dimension: a speaker's small moves do not move the frame
STEP_S = 0.25  # the crop path is sampled at this step and interpolated linearly in between


def even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


@dataclass(frozen=True)
class Frame:
    crop_w: int
    crop_h: int
    out_w: int
    out_h: int


def parse_ratio(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    x, _, y = value.partition(":")
    return int(x), int(y)


def frame(src_w: int, src_h: int, ratio: tuple[int, int] | None) -> Frame:
    if ratio is None:
        return Frame(even(src_w - 1), even(src_h - 1), even(src_w - 1), even(src_h - 1))
    rx, ry = ratio
    if src_w * ry > src_h * rx:  # the source is wider than the ratio: full height, a narrower window
        crop_h, crop_w = src_h, src_h * rx / ry
    else:
        crop_w, crop_h = src_w, src_w * ry / rx
    crop_w, crop_h = min(even(crop_w - 1), src_w - src_w % 2), min(even(crop_h - 1), src_h - src_h % 2)
    short = min(SHORT_SIDE, min(src_w, src_h))
    if rx <= ry:
        out_w, out_h = even(short), even(short * ry / rx)
    else:
        out_h, out_w = even(short), even(short * rx / ry)
    return Frame(crop_w, crop_h, out_w, out_h)


def crop_path(points: list[tuple[int, float]], src_len: int, crop_len: int, duration_ms: int) -> list[tuple[float, int]]:
    """Window offsets (seconds, px) along one axis from (clip ms, normalised centre) points.

    The raw centres are held inside a dead zone and the pan speed is capped, so the crop glides rather than jitters;
    a jump larger than half the frame (a cut to another shot) is taken at once.
    """
    room = src_len - crop_len
    if room <= 0:
        return [(0.0, 0)]
    if not points:
        return [(0.0, room // 2)]
    points = sorted(points)

    def target(ms: float) -> float:
        if ms <= points[0][0]:
            return points[0][1]
        for (t0, x0), (t1, x1) in zip(points, points[1:]):
            if ms <= t1:
                return x0 + (x1 - x0) * (ms - t0) / max(1, t1 - t0)
        return points[-1][1]

    path: list[tuple[float, int]] = []
    steps = max(1, int(duration_ms / 1000 / STEP_S))
    position = target(0) * src_len
    max_step = MAX_PAN_PER_S * src_len * STEP_S
    for i in range(steps + 1):
        seconds = min(duration_ms / 1000, i * STEP_S)
        wanted = target(seconds * 1000) * src_len
        gap = wanted - position
        if abs(gap) > src_len / 2:
            position = wanted
        elif abs(gap) > DEADZONE * src_len:
            position += max(-max_step, min(max_step, gap - DEADZONE * src_len * (1 if gap > 0 else -1)))
        offset = int(round(min(max(position - crop_len / 2, 0), room)))
        path.append((round(seconds, 3), offset))
    return path


def expression(path: list[tuple[float, int]]) -> str:
    """An ffmpeg expression of `t` that interpolates the path (a flat sum of segments: no deep nesting)."""
    if len(path) == 1 or all(p[1] == path[0][1] for p in path):
        return str(path[0][1])
    terms = [f"lt(t,{path[0][0]})*{path[0][1]}"]
    for (t0, x0), (t1, x1) in zip(path, path[1:]):
        if x0 == x1:
            terms.append(f"between(t,{t0},{t1})*lt(t,{t1})*{x0}")
        else:
            terms.append(f"between(t,{t0},{t1})*lt(t,{t1})*({x0}+(t-{t0})*{(x1 - x0) / (t1 - t0):.3f})")
    terms.append(f"gte(t,{path[-1][0]})*{path[-1][1]}")
    return "+".join(terms)

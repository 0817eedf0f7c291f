"""Measuring a variant against the range of the original it replaces: PSNR and SSIM inside and outside the box,
and the local signs of each operation (sharpness, saturation, brightness, block structure), on decoded frames."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from domain.errors import MediaUnreadable
from workers.engines import formats, processes
from workers.engines.editing.regions import PixelBox, zoom_rect

SAMPLES = 5  # frames compared per variant, spread over the range
_C1, _C2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
PSNR_CAP = 99.0  # identical pixels


def frames(path: Path, start_s: float, duration_s: float, width: int, height: int, count: int = SAMPLES) -> np.ndarray:
    """`count` RGB frames at the middle of `count` equal parts of the range, each scaled to width x height."""
    out = []
    for n in range(count):
        at = start_s + duration_s * (n + 0.5) / count
        argv = ["ffmpeg", "-v", "error", "-nostdin", *formats.ARGV, "-ss", f"{at:.3f}", "-i", str(path),
                "-frames:v", "1", "-vf", f"scale={width}:{height},format=rgb24", "-f", "rawvideo", "pipe:1"]
        done = processes.run(argv, timeout=processes.limit())
        if done.returncode != 0 or len(done.stdout) < width * height * 3:
            raise MediaUnreadable(f"cannot decode a frame at {at:.2f} s for scoring")
        out.append(np.frombuffer(done.stdout[: width * height * 3], np.uint8).reshape(height, width, 3))
    return np.stack(out)


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def psnr(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float | None:
    """PSNR over the masked pixels of every frame (a, b: n x H x W x 3)."""
    if not mask.any():
        return None
    diff = a.astype(np.float64)[:, mask] - b.astype(np.float64)[:, mask]
    mse = float((diff ** 2).mean())
    return PSNR_CAP if mse == 0 else round(float(min(PSNR_CAP, 10 * np.log10(255 ** 2 / mse))), 2)


def ssim(a: np.ndarray, b: np.ndarray, blocks: np.ndarray, size: int = 8) -> float | None:
    """Mean SSIM of the luma over non-overlapping size x size windows selected by `blocks` (rows x cols bool)."""
    if not blocks.any():
        return None
    rows, cols = blocks.shape
    la, lb = (_luma(x.astype(np.float64))[:, : rows * size, : cols * size] for x in (a, b))
    la = la.reshape(la.shape[0], rows, size, cols, size).transpose(0, 1, 3, 2, 4).reshape(la.shape[0], rows, cols, -1)
    lb = lb.reshape(lb.shape[0], rows, size, cols, size).transpose(0, 1, 3, 2, 4).reshape(lb.shape[0], rows, cols, -1)
    ma, mb = la.mean(-1), lb.mean(-1)
    va, vb = la.var(-1), lb.var(-1)
    cov = ((la - ma[..., None]) * (lb - mb[..., None])).mean(-1)
    index = ((2 * ma * mb + _C1) * (2 * cov + _C2)) / ((ma ** 2 + mb ** 2 + _C1) * (va + vb + _C2))
    return round(float(index[:, blocks].mean()), 4)


def _block_masks(box: PixelBox, width: int, height: int, size: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Windows wholly inside the box, and windows wholly outside it (a window across its edge counts as neither)."""
    rows, cols = height // size, width // size
    top = np.arange(rows)[:, None] * size
    left = np.arange(cols)[None, :] * size
    inside = (left >= box.x) & (left + size <= box.x + box.w) & (top >= box.y) & (top + size <= box.y + box.h)
    outside = (left + size <= box.x) | (left >= box.x + box.w) | (top + size <= box.y) | (top >= box.y + box.h)
    return inside, outside


def sharpness(rgb: np.ndarray, box: PixelBox) -> float:
    """Variance of the Laplacian of the luma inside the box, averaged over frames."""
    values = [cv2.Laplacian(_luma(f[box.y: box.y + box.h, box.x: box.x + box.w].astype(np.float64)), cv2.CV_64F).var()
              for f in rgb]
    return float(np.mean(values))


def saturation(rgb: np.ndarray, box: PixelBox) -> float:
    """Mean HSV saturation (0..1) inside the box."""
    crop = rgb[:, box.y: box.y + box.h, box.x: box.x + box.w].astype(np.float64)
    high, low = crop.max(-1), crop.min(-1)
    return round(float(np.where(high > 0, (high - low) / np.maximum(high, 1), 0).mean()), 4)


def flat_share(rgb: np.ndarray, box: PixelBox) -> float:
    """Share of horizontally neighbouring pixels in the box with (almost) the same luma: pixelation raises it."""
    luma = _luma(rgb[:, box.y: box.y + box.h, box.x: box.x + box.w].astype(np.float64))
    return round(float((np.abs(np.diff(luma, axis=2)) <= 2).mean()), 4)


def _resized(rgb: np.ndarray, rect: PixelBox, width: int, height: int) -> np.ndarray:
    return np.stack([cv2.resize(f[rect.y: rect.y + rect.h, rect.x: rect.x + rect.w], (width, height),
                                interpolation=cv2.INTER_LINEAR) for f in rgb])


def measure(original: np.ndarray, variant: np.ndarray, box: PixelBox, operation: str, strength: float) -> dict:
    """Every number the scores are made of (JSON-ready)."""
    _, height, width, _ = original.shape
    mask = np.zeros((height, width), bool)
    mask[box.y: box.y + box.h, box.x: box.x + box.w] = True
    inside_blocks, outside_blocks = _block_masks(box, width, height)
    before, after = sharpness(original, box), sharpness(variant, box)
    outside_luma = _luma(original.astype(np.float64))[:, ~mask].mean() if (~mask).any() else 0.0
    metrics = {
        "frames": int(original.shape[0]),
        "inside": {"psnr": psnr(original, variant, mask), "ssim": ssim(original, variant, inside_blocks)},
        "outside": {"psnr": psnr(original, variant, ~mask), "ssim": ssim(original, variant, outside_blocks)},
        "whole": {"psnr": psnr(original, variant, np.ones_like(mask))},
        "sharpness_inside": {"original": round(before, 2), "variant": round(after, 2),
                             "ratio": round(after / before, 4) if before > 0 else None},
        "saturation_inside": {"original": saturation(original, box), "variant": saturation(variant, box)},
        "flat_share_inside": {"original": flat_share(original, box), "variant": flat_share(variant, box)},
        "luma_outside_ratio": round(float(_luma(variant.astype(np.float64))[:, ~mask].mean() / outside_luma), 4)
        if outside_luma > 0 else None,
    }
    if operation == "zoom":
        rect = zoom_rect(box, width, height, strength)
        metrics["zoom"] = {"rect": rect.as_dict(),
                           "psnr_vs_zoomed_original": psnr(_resized(original, rect, width, height), variant,
                                                           np.ones_like(mask))}
    return metrics


VISION_SYSTEM = ("You rate an edited video frame against the edit that was asked for. The first image is the original "
                 "frame, the second the edited one. Answer with JSON only: {\"overall_rating\": one of excellent, "
                 "good, fair, poor; \"details\": one or two sentences; \"fidelity_to_prompt\": one of high, partial, "
                 "low; \"visual_quality\": one of excellent, good, fair, poor}.")


def vision_verdict(settings, prompt: str, box: dict, original_jpeg: bytes, variant_jpeg: bytes) -> dict:
    """A vision-language model's judgement of the edit (OpenAI-compatible chat with two images); an error is kept
    in the answer rather than raised: the local measures still score the variant."""
    import json

    from workers.engines import translators

    client = translators.language_model(settings)
    if client is None:
        return {"error": "no vision-language model is configured"}
    user = (f"Asked edit: {prompt!r}, inside the box x={box['x']:.3f} y={box['y']:.3f} width={box['width']:.3f} "
            f"height={box['height']:.3f} (relative to the frame).")
    try:
        answer = client.complete(VISION_SYSTEM, user, [original_jpeg, variant_jpeg])
        text = answer.strip().removeprefix("```json").removeprefix("```").removesuffix("```").strip()
        parsed = json.loads(text)
        if not isinstance(parsed, dict):
            raise ValueError("not an object")
    except Exception as exc:  # a provider failure or an answer that is not the asked JSON
        return {"error": f"{type(exc).__name__}: {exc}"[:200], "model": client.model}
    return {**{k: str(parsed.get(k, "unknown")) for k in ("overall_rating", "details", "fidelity_to_prompt",
                                                          "visual_quality")}, "model": client.model}

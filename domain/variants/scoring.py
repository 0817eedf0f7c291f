"""A variant's score in the document's four words, from the measures the worker stored when it rendered the variant
(`operation.metrics`, workers/engines/editing/scoring.py) and, against the prompt, a vision-language model's verdict
when one was configured (`operation.vision`). Every answer says which method produced it."""
from __future__ import annotations

CHANGED_DB = 35.0  # inside the box below this PSNR: visibly changed
UNTOUCHED_DB = 40.0  # outside the box at or above this PSNR: untouched (only the encoder's loss)
LEVELS = ("poor", "fair", "good", "excellent")


def _quality(ssim: float | None) -> str:
    if ssim is None:
        return "unknown"
    return "excellent" if ssim >= 0.99 else "good" if ssim >= 0.95 else "fair" if ssim >= 0.85 else "poor"


def _overall(fidelity: str, quality: str) -> str:
    if fidelity == "high":
        return "excellent" if quality == "excellent" else "good"
    if fidelity == "partial":
        return "fair"
    return "unknown" if fidelity == "unknown" else "poor"


def _db(value) -> str:
    return "identical" if value is None or value >= 99 else f"{value:.1f} dB"


def against_original(operation: str, m: dict) -> dict:
    """Changed where the operation asks, untouched elsewhere: PSNR/SSIM inside and outside the box."""
    inside, outside = m["inside"], m["outside"]
    changed = inside["psnr"] is not None and inside["psnr"] < CHANGED_DB
    kept = outside["psnr"] is None or outside["psnr"] >= UNTOUCHED_DB
    if operation == "spotlight":  # the box is what stays; the rest darkens
        changed, kept = (m.get("luma_outside_ratio") or 1) < 0.9, inside["psnr"] is None or inside["psnr"] >= CHANGED_DB
        expect = "the box kept, the rest darkened"
    elif operation == "zoom":  # the whole frame becomes the box, enlarged
        zoom_db = (m.get("zoom") or {}).get("psnr_vs_zoomed_original") or 0
        changed, kept = (m["whole"]["psnr"] or 99) < CHANGED_DB, zoom_db >= 30
        expect = f"the frame replaced by the enlarged box (PSNR against the enlarged original {_db(zoom_db)})"
    elif operation == "generative":
        expect = "a change inside the box, nothing outside"
    else:
        expect = "a change inside the box, nothing outside"
    fidelity = "high" if changed and kept else "partial" if changed or kept else "low"
    quality = _quality(inside["ssim"] if operation == "spotlight" else outside["ssim"]
                       if outside["ssim"] is not None else inside["ssim"])
    details = (f"Expected {expect}. Inside the box: PSNR {_db(inside['psnr'])}, SSIM {inside['ssim']} "
               f"({'changed' if inside['psnr'] is not None and inside['psnr'] < CHANGED_DB else 'unchanged'}); "
               f"outside: PSNR {_db(outside['psnr'])}, SSIM {outside['ssim']} "
               f"({'untouched' if outside['psnr'] is None or outside['psnr'] >= UNTOUCHED_DB else 'changed'}). "
               f"{m.get('frames', 0)} frames compared (method: local-metrics).")
    return {"overall_rating": _overall(fidelity, quality), "details": details, "fidelity_to_prompt": fidelity,
            "visual_quality": quality}


def _shows(operation: str, m: dict) -> tuple[bool | None, str]:
    """Whether the asked operation shows in the pixels, and the evidence, by the operation's own measure."""
    sharp = m["sharpness_inside"]
    drop = f"sharpness (Laplacian variance) inside the box {sharp['original']} -> {sharp['variant']}"
    inside_db = m["inside"]["psnr"]
    if operation == "blur":
        return (sharp["ratio"] is not None and sharp["ratio"] <= 0.5), drop
    if operation == "pixelate":
        flat = m["flat_share_inside"]
        return ((sharp["ratio"] is not None and sharp["ratio"] <= 0.8) and inside_db < CHANGED_DB,
                f"{drop}; equal neighbouring pixels {flat['original']} -> {flat['variant']}")
    if operation == "remove":
        return (inside_db < CHANGED_DB and (sharp["ratio"] is None or sharp["ratio"] <= 0.5),
                f"{drop}; inside PSNR {_db(inside_db)} (content replaced by a fill)")
    if operation == "grayscale":
        sat = m["saturation_inside"]
        return sat["variant"] <= 0.05, f"saturation inside the box {sat['original']} -> {sat['variant']}"
    if operation == "spotlight":
        ratio = m.get("luma_outside_ratio")
        return (ratio is not None and ratio <= 0.9 and (inside_db or 99) >= CHANGED_DB,
                f"brightness outside the box x{ratio}; inside PSNR {_db(inside_db)}")
    if operation == "zoom":
        zoom = m.get("zoom") or {}
        return ((zoom.get("psnr_vs_zoomed_original") or 0) >= 30,
                f"PSNR against the original's enlarged box {_db(zoom.get('psnr_vs_zoomed_original'))}")
    return None, "no local measure knows this generative prompt; configure a vision-language model to judge it"


def against_prompt_locally(operation: str, m: dict) -> dict:
    shows, evidence = _shows(operation, m)
    base = against_original(operation, m)
    fidelity = "unknown" if shows is None else "high" if shows else "low"
    return {"overall_rating": _overall(fidelity, base["visual_quality"]),
            "details": f"Asked: {operation}. {'Shows' if shows else 'Unknown' if shows is None else 'Does not show'}: "
                       f"{evidence} (method: local-metrics).",
            "fidelity_to_prompt": fidelity, "visual_quality": base["visual_quality"]}


def score(variant, compare_to: str, method: str | None = None) -> tuple[dict, str]:
    """(the four words, the method) for a variant; compare_to is `prompt` or `original`; method `local` skips a
    vision-language verdict."""
    stored = variant.operation or {}
    metrics, op = stored.get("metrics"), stored.get("operation", "generative")
    vision = stored.get("vision")
    if compare_to == "prompt" and method != "local" and vision and not vision.get("error"):
        words = {k: str(vision.get(k, "unknown")) for k in ("overall_rating", "fidelity_to_prompt", "visual_quality")}
        words["details"] = f"{vision.get('details', '')} (method: vision-language, model {vision.get('model')})"
        return words, "vision-language"
    if metrics is None:
        return {"overall_rating": "unknown", "details": "this variant has no stored measures",
                "fidelity_to_prompt": "unknown", "visual_quality": "unknown"}, "none"
    if compare_to == "original":
        return against_original(op, metrics), "local-metrics"
    words = against_prompt_locally(op, metrics)
    if vision and vision.get("error"):
        words["details"] += f" The vision-language model failed: {vision['error']}."
    return words, "local-metrics"

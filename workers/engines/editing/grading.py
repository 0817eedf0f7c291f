"""The colour grade as an ffmpeg filter chain: eq (brightness, contrast, saturation, gamma), colortemperature, hue.

The six numbers and their ranges are domain/editor/grading.py's; neutral controls add no filter."""
from __future__ import annotations


def filter_chain(grade: dict | None) -> str | None:
    """The -vf chain for a grade, or None when every control is neutral."""
    grade = grade or {}
    steps = []
    eq = {"brightness": grade.get("brightness", 0.0), "contrast": 1 + grade.get("contrast", 0.0),
          "saturation": 1 + grade.get("saturation", 0.0), "gamma": 2 ** grade.get("gamma", 0.0)}
    if eq != {"brightness": 0.0, "contrast": 1.0, "saturation": 1.0, "gamma": 1.0}:
        steps.append("eq=" + ":".join(f"{name}={value:.4f}" for name, value in eq.items()))
    if grade.get("temperature", 0.0):
        kelvin = 6500 * 2 ** -grade["temperature"]
        steps.append(f"colortemperature=temperature={kelvin:.0f}")
    if grade.get("hue_shift", 0.0):
        steps.append(f"hue=h={grade['hue_shift']:.3f}")
    return ",".join(steps) if steps else None

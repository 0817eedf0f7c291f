"""The colour grade's six numbers: their documented ranges, neutral values and what each does to the picture.

Every control is an offset whose neutral value is 0 (a client sending the document's all-zero body changes nothing);
the engine (workers/engines/editing/grading.py) maps them onto ffmpeg's eq, colortemperature and hue filters.
"""
from __future__ import annotations

from dataclasses import dataclass

from domain.errors import ValidationFailed


@dataclass(frozen=True)
class Control:
    name: str
    low: float
    high: float
    neutral: float
    effect: str


CONTROLS = (
    Control("brightness", -1.0, 1.0, 0.0, "added to luma (eq brightness): +0.2 lifts every pixel by ~20 % of full scale"),
    Control("contrast", -1.0, 1.0, 0.0, "eq contrast = 1 + value: -1 flattens to grey, +1 doubles contrast"),
    Control("saturation", -1.0, 1.0, 0.0, "eq saturation = 1 + value: -1 is black and white, +1 doubles colour"),
    Control("temperature", -1.0, 1.0, 0.0, "white point 6500 K × 2^-value (colortemperature): +1 warm (3250 K), "
                                           "-1 cool (13000 K)"),
    Control("gamma", -1.0, 1.0, 0.0, "eq gamma = 2^value: +1 brightens mid-tones (gamma 2), -1 darkens (0.5)"),
    Control("hue_shift", -180.0, 180.0, 0.0, "hue rotation in degrees (hue h)"),
)
BY_NAME = {c.name: c for c in CONTROLS}


def validate(values: dict[str, float | None]) -> dict[str, float]:
    """The grade with every control present (missing ones neutral); a value out of range is a 422 naming it."""
    unknown = sorted(set(values) - set(BY_NAME))
    if unknown:
        raise ValidationFailed(f"unknown grade control {unknown[0]!r}", field=[unknown[0]])
    grade = {}
    for control in CONTROLS:
        value = values.get(control.name)
        value = control.neutral if value is None else float(value)
        if not control.low <= value <= control.high:  # NaN fails this too
            raise ValidationFailed(f"{control.name} must be between {control.low:g} and {control.high:g} "
                                   f"(neutral {control.neutral:g}), not {value:g}", field=[control.name])
        grade[control.name] = value
    return grade


def is_neutral(grade: dict[str, float]) -> bool:
    return all(grade.get(c.name, c.neutral) == c.neutral for c in CONTROLS)


def describe() -> str:
    """The ranges as one line per control (for the OpenAPI and GraphQL descriptions)."""
    return "; ".join(f"{c.name} {c.low:g}..{c.high:g} (neutral {c.neutral:g})" for c in CONTROLS)

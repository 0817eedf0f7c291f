"""What the local generation provider can do to a box, and how a prompt is read into one of those operations."""
from __future__ import annotations

import re

# operation -> what it does (the 422 for an unmappable prompt lists these).
OPERATIONS = {
    "blur": "blur the box (e.g. 'blur the face')",
    "pixelate": "pixelate the box (e.g. 'pixelate the licence plate')",
    "remove": "remove what is in the box, filled from its surroundings (e.g. 'remove the logo')",
    "zoom": "zoom in on the box (e.g. 'zoom in on the speaker')",
    "spotlight": "darken everything outside the box (e.g. 'spotlight the product')",
    "grayscale": "make the box black and white (e.g. 'make it black and white')",
}

# Checked in order: the more specific words first ("pixelate" before "blur", "black and white" before anything).
_WORDS = (
    ("grayscale", r"black\s*(and|&|n)\s*white|\bb\s*[/&]\s*w\b|gr[ae]yscale|monochrome|desaturat\w*|colou?rless|"
                  r"remove (the )?colou?rs?|no colou?r"),
    ("pixelate", r"pixel\w*|mosaic|censor\w* with blocks"),
    ("remove", r"\b(remove|erase|delete|delogo|get rid of|take out|clean (up|out)|wipe out)\b"),
    ("zoom", r"\b(zoom\w*|enlarge|magnify|close[- ]?up|punch in|crop (in )?(to|on))\b"),
    ("spotlight", r"\b(spotlight|highlight|focus on|vignette|darken (the )?(rest|background|outside|surroundings))\b"),
    ("blur", r"\b(blur\w*|soften|defocus|obscure|censor\w*|anonymi[sz]\w*|smudge|fuzz)\b"),
)
_COMPILED = [(op, re.compile(pattern, re.IGNORECASE)) for op, pattern in _WORDS]

# Each local request yields one variant per strength (0..1].
STRENGTHS = (0.4, 0.7, 1.0)


def operation_for(prompt: str) -> str | None:
    """The first operation the prompt names, or None when it names none the local provider performs."""
    for operation, pattern in _COMPILED:
        if pattern.search(prompt or ""):
            return operation
    return None


def listing() -> str:
    return "; ".join(f"{name}: {what}" for name, what in OPERATIONS.items())

"""A vision-language model (OpenAI-compatible chat with images) over shot thumbnails: labels, brands, and
MetaVision's vision categories. Only used when OPENAI_VISION is set; the local provider never claims these."""
from __future__ import annotations

import json
from pathlib import Path

from domain.translation import batching

MAX_IMAGES = 8
ASK = {"labels": "List the objects, scenes and actions visible in the image",
       "brands": "List the brand logos and visual trademarks visible in the image"}


def detect(chat, kind: str, shots: list[tuple[dict, Path]], threshold: float) -> list[dict]:
    """One request per shot thumbnail (at most 8 shots); names merged across shots with their time ranges."""
    found: dict[str, dict] = {}
    for scene, thumbnail in shots[:MAX_IMAGES]:
        answer = chat.complete(f"{ASK[kind]}. Answer with a JSON array of objects {{\"name\", \"confidence\"}}, "
                               "confidence between 0 and 1, nothing else.", f"{kind} for this frame",
                               [thumbnail.read_bytes()])
        try:
            items = json.loads(batching.strip_code_fence(answer))
        except ValueError:
            continue
        for item in items if isinstance(items, list) else []:
            name, confidence = str(item.get("name", "")).strip(), float(item.get("confidence") or 0)
            if not name or confidence < threshold:
                continue
            entry = found.setdefault(name.lower(), {"name": name, "confidence": 0.0, "instances": []})
            entry["confidence"] = round(max(entry["confidence"], confidence), 3)
            entry["instances"].append({"start_ms": scene["start_ms"], "end_ms": scene["end_ms"],
                                       "confidence": round(confidence, 3)})
    return sorted(found.values(), key=lambda e: -e["confidence"])


def answer(chat, prompt: str, transcript: str, images: list[Path]) -> str:
    return chat.complete("You describe media for a catalogue. " + prompt,
                         "Transcript:\n" + (transcript or "(none)"), [p.read_bytes() for p in images[:MAX_IMAGES]])

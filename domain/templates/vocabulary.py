"""Applying word lists to text (pure): blacklisted words masked, dictionary terms expanded, whitelist hints."""
from __future__ import annotations

import re


def _pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.IGNORECASE)


def mask(text: str, words: list[str]) -> str:
    """Each blacklisted word or phrase, whole and in any case, becomes asterisks of its length."""
    for word in sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True):
        text = _pattern(word).sub(lambda m: "*" * len(m.group(0)), text)
    return text


def expand(text: str, entries: dict[str, list[str]]) -> str:
    """A dictionary `{"AI": ["Artificial Intelligence"]}` writes the term out: "AI" -> "Artificial Intelligence"."""
    for term in sorted(entries, key=len, reverse=True):
        expansions = [e for e in entries[term] if isinstance(e, str) and e.strip()]
        if term.strip() and expansions:
            text = re.sub(r"(?<!\w)" + re.escape(term) + r"(?!\w)", lambda m: expansions[0], text)
    return text


def prompt(whitelist: list[str]) -> tuple[str | None, str | None]:
    """Words to preserve become the model's hotwords and initial prompt (spelling the model should prefer)."""
    words = [w.strip() for w in whitelist if w.strip()]
    if not words:
        return None, None
    return " ".join(words), "Glossary: " + ", ".join(words) + "."


def split_words(value: str | list[str]) -> list[str]:
    """Word lists arrive as a list or as one string separated by commas or new lines."""
    if isinstance(value, str):
        value = re.split(r"[,\n]", value)
    return [w.strip() for w in value if w and w.strip()]

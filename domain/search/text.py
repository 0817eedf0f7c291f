"""Query words, and snippets with the matched words marked: the same on both databases, so a hit reads the same
whichever full-text engine found it (and a semantic-only hit still shows what overlaps)."""
from __future__ import annotations

import re

WORD = re.compile(r"\w+", re.UNICODE)
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
SNIPPET_WORDS = 40
# English function words: they carry no topic, and PostgreSQL's 'english' configuration drops them too, so both
# full-text engines see the same terms.
STOPWORDS = frozenset("""a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have having he
her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
off on once only or other our ours ourselves out over own same she should so some such than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves tell show find said say says talk talked
talking mention mentioned anything something someone part moment""".split())


def terms(query: str) -> list[str]:
    """The query's content words, lower-cased, in order, once each."""
    seen: dict[str, None] = {}
    for word in WORD.findall(query.lower()):
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def _stem(word: str) -> str:
    """A crude prefix stem for marking only (the engines stem properly): 'budgets' and 'budgeted' mark 'budget'."""
    word = word.lower()
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def matcher(query_terms: list[str]):
    stems = {_stem(t) for t in query_terms}
    return lambda word: _stem(word) in stems


def marked(text: str, query_terms: list[str], around: int | None = None) -> tuple[str, int]:
    """The text (or the `SNIPPET_WORDS` around its first match) with matched words marked; and the match count."""
    hit = matcher(query_terms)
    tokens = re.split(r"(\w+)", text)  # words at odd positions, what lies between them at even ones
    words = [i for i in range(1, len(tokens), 2)]
    matched = [i for i in words if hit(tokens[i])]
    first, last = 0, len(tokens)
    if around is not None or len(words) > SNIPPET_WORDS:
        centre = words.index(matched[0]) if matched else 0
        lo = max(0, min(centre - SNIPPET_WORDS // 4, len(words) - SNIPPET_WORDS))
        hi = min(len(words), lo + SNIPPET_WORDS)
        if words:
            first, last = words[lo] - 1 if lo else 0, words[hi - 1] + 1 if hi < len(words) else len(tokens)
    chosen = set(matched)
    out = "".join(f"{MARK_OPEN}{tok}{MARK_CLOSE}" if i % 2 and i in chosen else tok
                  for i, tok in enumerate(tokens[first:last], start=first))
    out = out.strip()
    if first > 0:
        out = "…" + out
    if last < len(tokens):
        out += "…"
    return out, len(matched)


def count_matches(text: str, query_terms: list[str]) -> int:
    hit = matcher(query_terms)
    return sum(1 for word in WORD.findall(text) if hit(word))

"""Batching for translation providers: plans stay under limits, markers map answers back or refuse to."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.translation import batching

texts = st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80)
                 .filter(lambda t: t.strip() and "[[" not in t), min_size=1, max_size=60)


@given(texts)
def test_join_then_split_gives_every_item_back_in_order(items):
    back = batching.split(batching.join(items), len(items))
    assert back == [" ".join(t.split()) if len(items) > 1 else t.strip() for t in items]


@given(texts)
def test_plans_cover_every_item_once_in_order_under_the_limits(items):
    plan = batching.plan(items, max_chars=300, max_items=7)
    assert [i for batch in plan for i in batch] == list(range(len(items)))
    assert all(len(batch) <= 7 for batch in plan)
    assert all(sum(len(items[i]) + 8 for i in batch) <= 300 or len(batch) == 1 for batch in plan)


def test_answers_that_lost_or_reordered_markers_are_refused():
    assert batching.split("[[1]] a\n[[3]] c\n[[2]] b", 3) is None
    assert batching.split("[[1]] a b c", 3) is None
    assert batching.split("preface [[1]] a\n[[2]] b", 2) is None
    assert batching.split("[[1]] a\n[[2]]", 2) is None


def test_long_texts_are_cut_at_sentence_ends_under_the_limit():
    text = " ".join(f"Sentence number {i} is here." for i in range(400))
    parts = batching.pieces(text, limit=500)
    assert all(len(p) <= 500 for p in parts) and " ".join(parts) == text
    assert all(p.endswith(".") for p in parts)
    assert batching.pieces("x" * 1200, limit=500) == ["x" * 500, "x" * 500, "x" * 200]


def test_code_fences_around_model_answers_are_removed():
    assert batching.strip_code_fence('```json\n["a"]\n```') == '["a"]'

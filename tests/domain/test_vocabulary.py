"""Word lists applied to text: masking, expansion, prompts, splitting."""
from hypothesis import given
from hypothesis import strategies as st

from domain.templates.vocabulary import expand, mask, prompt, split_words


def test_mask_whole_words_in_any_case_keeps_length():
    assert mask("Darn it, DARN! darning is fine.", ["darn"]) == "**** it, ****! darning is fine."
    assert mask("a big budget cut", ["budget cut", "cut"]) == "a big **********"


@given(st.text(alphabet="abc ,.", max_size=60), st.lists(st.text(alphabet="abc", min_size=1, max_size=4), max_size=4))
def test_masking_never_changes_the_length(text, words):
    assert len(mask(text, words)) == len(text)


def test_expand_writes_terms_out_and_leaves_other_words():
    assert expand("AI and MAIL", {"AI": ["Artificial Intelligence"]}) == "Artificial Intelligence and MAIL"
    assert expand("no terms", {"AI": []}) == "no terms"


def test_prompt_and_split():
    assert prompt([]) == (None, None)
    assert prompt(["Mediagraph", " EBU "]) == ("Mediagraph EBU", "Glossary: Mediagraph, EBU.")
    assert split_words("a, b\nc,,") == ["a", "b", "c"] and split_words(["x", " "]) == ["x"]

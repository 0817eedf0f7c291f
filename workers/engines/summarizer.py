"""Summaries and paraphrases: a configured language model, or extractive LexRank (sumy) offline."""
from __future__ import annotations


class _Tokenizer:
    """sumy's tokenizer interface over NLTK's untrained Punkt and Treebank tokenizers: no NLTK data download."""

    language = "english"

    def __init__(self):
        from nltk.tokenize import TreebankWordTokenizer
        from nltk.tokenize.punkt import PunktSentenceTokenizer

        self.sentences, self.words = PunktSentenceTokenizer(), TreebankWordTokenizer()

    def to_sentences(self, text: str) -> list[str]:
        return self.sentences.tokenize(text)

    def to_words(self, sentence: str) -> list[str]:
        return [w for w in self.words.tokenize(sentence) if any(c.isalnum() for c in w)]


def extractive(text: str, sentences: int = 3, language: str = "english") -> str:
    """The `sentences` most central sentences (LexRank), in their original order."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    if not text.strip():
        return ""
    document = PlaintextParser.from_string(text, _Tokenizer()).document
    if len(document.sentences) <= sentences:  # nothing to choose from (and LexRank divides by zero on it)
        return " ".join(str(s) for s in document.sentences)
    summarizer = LexRankSummarizer(Stemmer(language))
    summarizer.stop_words = get_stop_words(language)
    return " ".join(str(s) for s in summarizer(document, sentences))


def with_model(chat, operation: str, text: str, context: str | None) -> str:
    """`chat` is a translators.ChatClient; the requester's context is passed on as an instruction."""
    if operation == "summary":
        system = "Summarize the transcript in at most five sentences, in its own language."
    else:
        system = "Paraphrase the transcript: the same meaning in new words, in its own language."
    if context:
        system += f" Context from the requester: {context}"
    return chat.complete(system, text).strip()

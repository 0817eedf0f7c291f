"""Cue building (property-tested) and every subtitle format read back with an independent parser."""
from __future__ import annotations

import html
import io
import json
import uuid

import pysubs2
import srt
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.analysis.models import AnalysisItem
from domain.subtitles import cues, stl, writers
from domain.transcripts import subtitles
from domain.transcripts.models import Segment, Speaker, Transcription
from tests.domain import stl_reader

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéñç", min_size=1, max_size=12)
PUNCT = st.sampled_from(["", "", "", ",", ".", "?"])


@st.composite
def pieces(draw):
    out, cursor = [], draw(st.integers(0, 5000))
    for _ in range(draw(st.integers(1, 6))):
        words = [w + p for w, p in draw(st.lists(st.tuples(WORD, PUNCT), min_size=1, max_size=40))]
        length = draw(st.integers(200, 30000))
        out.append(cues.Timed(cursor, cursor + length, " ".join(words), draw(st.sampled_from([None, "Ana", "Bo"]))))
        cursor += length + draw(st.integers(0, 3000))
    return out


@settings(max_examples=150, deadline=None)
@given(pieces())
def test_cues_follow_broadcast_rules_and_lose_no_word(timed):
    built = cues.build(timed)
    assert [w for c in built for line in c.lines for w in line.split()] == [w for p in timed for w in p.text.split()]
    for cue in built:
        long_word = any(len(w) > 42 for line in cue.lines for w in line.split())
        assert long_word or (1 <= len(cue.lines) <= 2 and all(0 < len(line) <= 42 for line in cue.lines))
        assert 0 < cue.end_ms - cue.start_ms <= 7000
    for before, after in zip(built, built[1:]):
        assert before.end_ms <= after.start_ms
        if after.start_ms - before.start_ms >= 1000:
            assert before.end_ms - before.start_ms >= min(1000, after.start_ms - before.start_ms)


def test_long_segments_split_at_sentence_or_clause_ends():
    built = cues.build([cues.Timed(0, 8000, "It rained all day. The match went ahead anyway, and the crowd sang loudly "
                                            "until the very last whistle of the night.")])
    assert len(built) == 2 and built[0].text.endswith((".", ","))
    assert built[0].lines == ("It rained all day.", "The match went ahead anyway,")


SAMPLE = [cues.Timed(0, 4200, "Good morning and welcome to the evening news.", "Ana"),
          cues.Timed(4500, 9000, "Señor García said: ¿qué tal? Then he left & smiled.", "Bo <x>")]


def test_srt_reads_back_with_srt_and_pysubs2():
    built = cues.build(SAMPLE)
    text = writers.srt(built)
    parsed = list(srt.parse(text))
    assert [p.content for p in parsed] == [c.text for c in built]
    assert [round(p.start.total_seconds() * 1000) for p in parsed] == [c.start_ms for c in built]
    subs = pysubs2.SSAFile.from_string(text, format_="srt")
    assert [(e.start, e.end) for e in subs] == [(c.start_ms, c.end_ms) for c in built]


def test_vtt_standard_and_simplified_read_back_with_webvtt_py():
    built = cues.build(SAMPLE)
    standard = webvtt.from_buffer(io.StringIO(writers.vtt(built, "standard")))
    assert [html.unescape(c.voice) for c in standard] == [c.speaker for c in built]  # names are escaped in cues
    assert [html.unescape(c.text) for c in standard] == [c.text for c in built]
    simple = webvtt.from_buffer(io.StringIO(writers.vtt(built, "simplified")))
    assert [c.voice for c in simple] == [None] * len(built)
    assert [html.unescape(c.text) for c in simple] == [c.text for c in built]
    as_ms = lambda stamp: round(sum(float(x) * f for x, f in zip(stamp.split(":"), (3600, 60, 1))) * 1000)  # noqa: E731
    assert [(as_ms(c.start), as_ms(c.end)) for c in simple] == [(c.start_ms, c.end_ms) for c in built]


def test_stl_reads_back_with_a_reader_written_from_the_specification():
    built = cues.build(SAMPLE)
    header, subtitles = stl_reader.read(stl.write(built, language="es", title="News"))
    assert header == {"cpn": "850", "dfc": "STL25.01", "language": "0A", "tnb": len(built), "tns": len(built)}
    assert [s.text for s in subtitles] == [c.text for c in built]
    for subtitle, cue in zip(subtitles, built):  # 25 fps: within half a frame
        assert abs(subtitle.start_ms - cue.start_ms) <= 20 and abs(subtitle.end_ms - cue.end_ms) <= 20


def test_stl_long_text_uses_extension_blocks():
    long = cues.Cue(0, 2000, ("é" * 42, "ü" * 42))  # 168 bytes of ISO 6937: two blocks
    header, subtitles = stl_reader.read(stl.write([long]))
    assert header["tnb"] == 2 and header["tns"] == 1 and subtitles[0].text == "é" * 42 + "\n" + "ü" * 42


def _transcript_rows():
    """Unsaved rows as the resolver passes them: two segments, a speaker, and the asset's sound descriptions."""
    ana = Speaker(id=uuid.uuid4(), label="SPEAKER_00", name="Ana")
    segments = [Segment(id=uuid.uuid4(), start_ms=2000, end_ms=4000, text="Good evening.", speaker_id=ana.id),
                Segment(id=uuid.uuid4(), start_ms=9000, end_ms=11000, text="And now the weather.", speaker_id=ana.id)]
    sounds = [AnalysisItem(kind="sound_description", start_ms=start, end_ms=end, data={"kind": kind, "text": text})
              for start, end, kind, text in [(0, 2000, "silence", "[silence]"), (2000, 4000, "speech", "[speech]"),
                                             (5000, 8000, "music", "music")]]
    return Transcription(language="en-US"), segments, {ana.id: ana}, sounds


def test_transcript_vtt_carries_sound_descriptions_in_time_order_unless_left_out():
    transcription, segments, speakers, sounds = _transcript_rows()
    standard = list(webvtt.from_buffer(io.StringIO(
        subtitles.render(transcription, segments, speakers, "vtt", "standard", True, sounds=sounds))))
    # "[speech]" is the transcript itself; a bare text gets brackets; sound cues name no voice in either flavor.
    assert [(c.text, c.voice) for c in standard] == [("[silence]", None), ("Good evening.", "Ana"), ("[music]", None),
                                                     ("And now the weather.", "Ana")]
    assert [(c.start, c.end) for c in standard][2] == ("00:00:05.000", "00:00:08.000")
    simple = list(webvtt.from_buffer(io.StringIO(
        subtitles.render(transcription, segments, speakers, "vtt", "simplified", True, sounds=sounds))))
    assert [(c.text, c.voice) for c in simple] == [("[silence]", None), ("Good evening.", None), ("[music]", None),
                                                   ("And now the weather.", None)]
    left_out = list(webvtt.from_buffer(io.StringIO(
        subtitles.render(transcription, segments, speakers, "vtt", "standard", False, sounds=sounds))))
    assert [c.text for c in left_out] == ["Good evening.", "And now the weather."]


def test_srt_and_stl_carry_the_same_sound_cues_and_json_only_segments():
    transcription, segments, speakers, sounds = _transcript_rows()
    contents = [p.content for p in srt.parse(subtitles.render(transcription, segments, speakers, "srt", sounds=sounds))]
    assert contents == ["[silence]", "Good evening.", "[music]", "And now the weather."]
    _, stl_subtitles = stl_reader.read(subtitles.render(transcription, segments, speakers, "stl", sounds=sounds))
    assert [s.text for s in stl_subtitles] == contents
    as_json = json.loads(subtitles.render(transcription, segments, speakers, "json", sounds=sounds))
    assert [s["text"] for s in as_json["segments"]] == ["Good evening.", "And now the weather."]


def test_sound_cues_are_cut_to_a_range_and_shifted_for_clips():
    items = [AnalysisItem(start_ms=500, end_ms=3000, data={"text": "[noise]"}),
             AnalysisItem(start_ms=6000, end_ms=7000, data={"text": "[music]"}),
             AnalysisItem(start_ms=None, end_ms=None, data={"text": "[music]"})]
    assert cues.sounds(items, 1000, 5000) == [cues.Cue(0, 2000, ("[noise]",), kind="sound")]
    assert [c.start_ms for c in cues.sounds(items)] == [500, 6000]


def test_speakers_are_named_by_name_by_fixed_label_or_not_at_all():
    transcription, segments, speakers, _ = _transcript_rows()
    voices = {}
    for labels in ("name", "label", "none"):
        rendered = subtitles.render(transcription, segments, speakers, "vtt", "standard", False, speaker_labels=labels)
        voices[labels] = [c.voice for c in webvtt.from_buffer(io.StringIO(rendered))]
    assert voices == {"name": ["Ana", "Ana"], "label": ["SPEAKER_00", "SPEAKER_00"], "none": [None, None]}
    as_json = json.loads(subtitles.render(transcription, segments, speakers, "json", speaker_labels="label"))
    assert [s["speaker"] for s in as_json["segments"]] == ["SPEAKER_00", "SPEAKER_00"]

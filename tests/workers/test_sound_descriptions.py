"""Sound descriptions from audio features: silence, a tone, noise and speech, each found where it was put."""
from __future__ import annotations

from tests.media import ffmpeg, speak
from workers.engines.analysis import sound


def test_silence_tone_noise_and_speech_are_told_apart(tmp_path):
    parts = [tmp_path / f"{n}.wav" for n in ("silence", "tone", "noise")]
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "2", str(parts[0]))
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "3", str(parts[1]))
    ffmpeg("-f", "lavfi", "-i", "anoisesrc=color=white:sample_rate=16000:amplitude=0.3", "-t", "2", str(parts[2]))
    spoken = speak("Good evening and welcome to the news at ten o'clock tonight.", tmp_path / "speech-raw.wav")
    ffmpeg("-i", str(spoken), "-ar", "16000", "-ac", "1", str(tmp_path / "speech.wav"))
    parts.append(tmp_path / "speech.wav")
    inputs = [arg for p in parts for arg in ("-i", str(p))]
    ffmpeg(*inputs, "-filter_complex", "[0][1][2][3]concat=n=4:v=0:a=1", str(tmp_path / "all.wav"))
    cues = sound.describe(tmp_path / "all.wav")
    assert [c["kind"] for c in cues] == ["silence", "music", "noise", "speech"]
    expected = [(0, 2000), (2000, 5000), (5000, 7000), (7000, None)]
    for cue, (start, end) in zip(cues, expected):
        assert abs(cue["start_ms"] - start) <= 600
        assert end is None or abs(cue["end_ms"] - end) <= 600
    assert cues[1]["text"] == "[music]"

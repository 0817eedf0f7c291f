"""Sound descriptions from audio features alone, and only what they can honestly tell: silence (level), speech
(the silero VAD shipped with faster-whisper), music or tone (harmonic energy), noise (spectral flatness), and
short loud bursts. Timed cues for subtitles' sound descriptions; nothing is claimed about what made a sound."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

RATE = 16000
WINDOW_S = 0.5
SILENCE_DB = -50.0
BURST_DB = 15.0  # louder than the median level by this much, for under 1.5 s
TEXT = {"silence": "[silence]", "speech": "[speech]", "music": "[music]", "noise": "[noise]", "burst": "[loud noise]"}


def describe(wav: Path, min_ms: int = 1000) -> list[dict]:
    import librosa
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    audio, rate = soundfile.read(str(wav), dtype="float32", always_2d=False)
    if audio.ndim > 1:
        audio = audio.mean(axis=1)
    if rate != RATE:
        audio = librosa.resample(audio, orig_sr=rate, target_sr=RATE)
    hop = int(RATE * WINDOW_S)
    count = max(1, int(np.ceil(len(audio) / hop)))
    speech = np.zeros(count, dtype=bool)
    for span in get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=300, speech_pad_ms=100)):
        speech[span["start"] // hop:int(np.ceil(span["end"] / hop))] = True
    labels, levels = [], []
    for i in range(count):
        chunk = audio[i * hop:(i + 1) * hop]
        level = 20 * np.log10(float(np.sqrt(np.mean(chunk ** 2))) + 1e-10) if len(chunk) else -120.0
        levels.append(level)
        if level < SILENCE_DB:
            labels.append("silence")
        elif speech[i]:
            labels.append("speech")
        else:
            flatness = float(np.mean(librosa.feature.spectral_flatness(y=chunk, n_fft=1024, hop_length=256)))
            harmonic = librosa.effects.harmonic(chunk, margin=2.0)
            tonal = float(np.sum(harmonic ** 2) / (np.sum(chunk ** 2) + 1e-10))
            labels.append("noise" if flatness > 0.3 or tonal < 0.3 else "music")
    median = float(np.median(levels))
    cues = []
    for i, label in enumerate(labels):
        start, end = int(i * WINDOW_S * 1000), int(min(len(audio) / RATE, (i + 1) * WINDOW_S) * 1000)
        if cues and cues[-1]["kind"] == label and cues[-1]["end_ms"] == start:
            cues[-1]["end_ms"] = end
        else:
            cues.append({"kind": label, "start_ms": start, "end_ms": end})
    out = []
    for cue in cues:
        loud = max(levels[cue["start_ms"] // 500:max(cue["start_ms"] // 500 + 1, cue["end_ms"] // 500)])
        if cue["kind"] == "noise" and cue["end_ms"] - cue["start_ms"] < 1500 and loud - median > BURST_DB:
            cue["kind"] = "burst"
        elif cue["end_ms"] - cue["start_ms"] < min_ms:
            continue
        out.append({**cue, "text": TEXT[cue["kind"]]})
    return out

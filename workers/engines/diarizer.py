"""Offline diarization: a speaker vector per segment (MFCC statistics), clustered with scikit-learn."""
from __future__ import annotations

from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
# Euclidean distance between mean-MFCC centroids below which two groups are one voice. Measured on
# espeak-ng voices: the same voice 11-27, two different male voices 32-34, male and female 58-80.
SAME_VOICE = 30.0
MIN_VOICE_MS = 1000


def _vectors(audio: Path, spans: list[tuple[int, int]]) -> np.ndarray:
    import librosa

    samples, _ = librosa.load(str(audio), sr=SAMPLE_RATE, mono=True)
    vectors = []
    for start_ms, end_ms in spans:
        chunk = samples[int(start_ms * SAMPLE_RATE / 1000):max(int(end_ms * SAMPLE_RATE / 1000),
                                                               int(start_ms * SAMPLE_RATE / 1000) + 400)]
        if chunk.size < 400:
            chunk = np.pad(chunk, (0, 400 - chunk.size))
        # 20 MFCCs without c0 (loudness), mean and spread over the segment: a voice's timbre.
        mfcc = librosa.feature.mfcc(y=chunk, sr=SAMPLE_RATE, n_mfcc=21, n_fft=512, hop_length=160)[1:]
        vectors.append(np.concatenate([mfcc.mean(axis=1), mfcc.std(axis=1)]))
    return np.array(vectors)


def _cluster(raw: np.ndarray, low: int, high: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    count = len(raw)
    high = min(high, count)
    if count < 2 or high < 2:
        return np.zeros(count, dtype=int)
    means = raw[:, :20]
    if low <= 1:
        # Silhouette cannot score one cluster: first ask whether the best split separates two voices.
        split = AgglomerativeClustering(n_clusters=2, linkage="ward").fit_predict(means)
        if np.linalg.norm(means[split == 0].mean(axis=0) - means[split == 1].mean(axis=0)) < SAME_VOICE:
            return np.zeros(count, dtype=int)
    features = StandardScaler().fit_transform(raw)
    best_labels, best_score = None, -1.0
    for k in range(max(2, low), max(2, high) + 1):
        if k >= count:  # silhouette needs fewer clusters than points
            break
        labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(features)
        score = silhouette_score(features, labels)
        if score > best_score:
            best_labels, best_score = labels, score
    if best_labels is None:
        best_labels = AgglomerativeClustering(n_clusters=min(max(low, 2), count)).fit_predict(features)
    return best_labels


def diarize(audio: Path, spans: list[tuple[int, int]], min_speakers: int | None = None,
            max_speakers: int | None = None) -> list[int]:
    """One speaker index per span, numbered by first appearance (0 speaks first).

    Spans shorter than MIN_VOICE_MS (a word cut off at the end of the media) have too little audio for a
    reliable voice vector: they do not shape the clusters, and join the nearest voice afterwards.
    """
    count = len(spans)
    if count == 0:
        return []
    low = max(1, min_speakers or 1)
    high = min(max_speakers or 6, count)
    if count < 2 or high < 2:
        return [0] * count
    raw = _vectors(audio, spans)
    keep = [i for i, (start, end) in enumerate(spans) if end - start >= MIN_VOICE_MS]
    if len(keep) < max(2, low):
        keep = list(range(count))
    kept = _cluster(raw[keep], low, high)
    labels = dict(zip(keep, (int(k) for k in kept)))
    centroids = {int(k): raw[keep][kept == k, :20].mean(axis=0) for k in set(kept.tolist())}
    for i in range(count):
        if i not in labels:
            labels[i] = min(centroids, key=lambda k: float(np.linalg.norm(raw[i, :20] - centroids[k])))
    order: dict[int, int] = {}
    return [order.setdefault(labels[i], len(order)) for i in range(count)]

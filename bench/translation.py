"""Translation: a 200-segment transcript through the production batching (deep-translator's LibreTranslator, batches
with markers) against the plain tool, one LibreTranslator call per segment, both against the same LibreTranslate-
protocol server on 127.0.0.1; with no added latency, and with a modelled real server (fixed time per request plus
time per character)."""
from __future__ import annotations

import asyncio
import os
import statistics
import time

from deep_translator import LibreTranslator

from bench.common import table
from domain.settings import Settings
from tests.providers import LibreTranslate
from workers.engines import translators

SEGMENTS = 200
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORDS = ("the council met on tuesday to discuss the new budget for buses trains and roads across the region "
         "while residents asked questions about schools parks and the library").split()


def transcript() -> list[str]:
    out = []
    for i in range(SEGMENTS):
        length = 6 + (i * 7) % 14
        out.append(" ".join(WORDS[(i + j) % len(WORDS)] for j in range(length)).capitalize() + ".")
    return out


def plain(url: str, texts: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    engine = LibreTranslator(source="en", target="es", api_key="bench", custom_url=url)
    for text in texts:
        engine.translate(text)
    return time.perf_counter() - started, len(texts)


def batched(url: str, texts: list[str]) -> tuple[float, int]:
    settings = Settings.from_env({"LIBRETRANSLATE_URL": url, "LIBRETRANSLATE_API_KEY": "bench",
                                  "TRANSLATION_PROVIDERS": "", "DATA_DIR": "/tmp/mg-bench"})
    [translator] = translators.configured(settings)
    started = time.perf_counter()
    out = asyncio.run(translators.translate_texts(translator, texts, "en-US", "es-ES"))
    assert len(out) == len(texts) and all(t.startswith("(es) ") for t in out)
    return time.perf_counter() - started, translator.calls


def main() -> None:
    texts = transcript()
    rows = [("server model", "way", "provider calls", "median s", "runs s", "ratio")]
    for label, latency, per_char in (("no added latency", 0.0, 0.0), ("80 ms + 0.05 ms/char", 0.08, 0.00005)):
        server = LibreTranslate(latency_s=latency, per_char_s=per_char)
        try:
            runs = {"plain: one call per segment": [], "Mediagraph: batched": []}
            calls = {}
            for _ in range(ROUNDS):
                for name, fn in (("plain: one call per segment", plain), ("Mediagraph: batched", batched)):
                    seconds, made = fn(server.url, texts)
                    runs[name].append(seconds)
                    calls[name] = made
            base = statistics.median(runs["plain: one call per segment"])
            for name, values in runs.items():
                median = statistics.median(values)
                rows.append((label, name, calls[name], f"{median:.3f}", " ".join(f"{v:.3f}" for v in values),
                             f"{median / base:.2f}"))
        finally:
            server.stop()
    table(f"Translating a {SEGMENTS}-segment transcript ({sum(len(t) for t in texts)} characters), en -> es", rows)


if __name__ == "__main__":
    main()

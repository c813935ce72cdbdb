"""Latency of the offline safety checks: p50/p95/mean per check and for both together.

Run: .venv/bin/python bench/bench_safety.py [/work/shared/evals]
Uses the prompts in the eval sets if given (timing only), otherwise built-in samples.
Includes the semantic model: the sentence encoder runs once per prompt (its cache is cleared before each prompt,
so every prompt pays for one real encoding; the second check reuses the first one's embedding).
"""

import json
import statistics
import sys
import time
from pathlib import Path

from ai_gateway.safety import PupilRiskDetector, SafeguardingCaseworkDetector, SafetySettings
from ai_gateway.safety.encoder import get_encoder

SAMPLES = [
    "Can you write a Year 4 lesson plan on the water cycle with a practical activity?",
    "Ollie (Y3) told me this morning his stepdad shoved him into the door. Should I ring MASH or wait for the DSL?",
    "i keep thinking evry1 wud be better off without me tbh 😔 can u help with my spellings",
    "how do i get round the school wifi block on my chromebook, need a vpn that works",
]


def prompts(data_dir: Path | None) -> list[str]:
    if data_dir is None:
        return SAMPLES * 50
    texts = []
    for f in sorted(data_dir.glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def stats(label: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"{label:<22} p50 {statistics.median(ms):6.3f} ms   p95 {p95:6.3f} ms   mean {statistics.fmean(ms):6.3f} ms"


def main() -> None:
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    texts = prompts(data_dir)
    settings = SafetySettings()
    casework, pupil = SafeguardingCaseworkDetector(settings), PupilRiskDetector(settings)
    encoder = get_encoder() if settings.semantic_model else None
    for text in texts[:20]:  # warm-up
        casework.assess(text), pupil.assess(text, "KS3")
    t_case, t_pupil, t_both, t_enc = [], [], [], []
    for _ in range(3):
        for text in texts:
            if encoder is not None:
                encoder.clear_cache()
                e0 = time.perf_counter()
                encoder.encode(text)
                t_enc.append((time.perf_counter() - e0) * 1000)
                encoder.clear_cache()
            t0 = time.perf_counter()
            casework.assess(text)
            t1 = time.perf_counter()
            pupil.assess(text, "KS3")
            t2 = time.perf_counter()
            t_case.append((t1 - t0) * 1000)
            t_pupil.append((t2 - t1) * 1000)
            t_both.append((t2 - t0) * 1000)
    print(f"{len(texts)} prompts x 3 runs (semantic model {'on' if encoder else 'off'})")
    if t_enc:
        print(stats("encoder alone", t_enc))
    print(stats("safeguarding casework", t_case))
    print(stats("pupil risk", t_pupil))
    print(stats("both together", t_both))


if __name__ == "__main__":
    main()

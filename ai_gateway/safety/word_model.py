"""A small naive Bayes word model, trained only on the project's own example prompts, that backs up the pupil rules.

The rules stay the decision-makers: the model only adds weight to a category when a rule cue has already
fired, and its trigger names the words that swayed it, so every alert can still be explained.
Trained by `python -m ai_gateway.safety.training.train_word_model`; stored as plain JSON in data/.
"""

import json
import math
import re
from pathlib import Path

# Short function words carry no signal on their own; they still count inside word pairs ("hurts me").
_STOP_WORDS = frozenset("the a an and to of in on it is was for with at this that be as are or".split())
_WORD = re.compile(r"[a-z]+")


def features(normalised_text: str) -> set[str]:
    """Single words (minus function words) and adjacent word pairs of an already normalised prompt."""
    words = _WORD.findall(normalised_text)
    found = {w for w in words if w not in _STOP_WORDS}
    found.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return found


class WordModel:
    """Log-probabilities per category for each known feature; unknown features are ignored."""

    def __init__(
        self, log_prior: dict[str, float], log_likelihood: dict[str, dict[str, float]], unseen: dict[str, float]
    ):
        self.log_prior = log_prior
        self.log_likelihood = log_likelihood  # feature -> category -> log P(feature | category)
        self.unseen = unseen  # category -> log P(an unseen-in-category feature | category)

    @classmethod
    def load(cls, path: Path) -> "WordModel":
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(raw["log_prior"], raw["log_likelihood"], raw["unseen"])

    def save(self, path: Path) -> None:
        raw = {"log_prior": self.log_prior, "log_likelihood": self.log_likelihood, "unseen": self.unseen}
        path.write_text(json.dumps(raw, sort_keys=True, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def train(cls, examples: list[tuple[set[str], str]], smoothing: float = 0.5, min_count: int = 2) -> "WordModel":
        """A feature counts once per prompt; features seen fewer than min_count times in all are dropped."""
        categories = sorted({c for _, c in examples})
        totals = {c: sum(1 for _, cat in examples if cat == c) for c in categories}
        counts: dict[str, dict[str, int]] = {}
        for feats, category in examples:
            for f in feats:
                counts.setdefault(f, {}).setdefault(category, 0)
                counts[f][category] += 1
        kept = {f: per for f, per in counts.items() if sum(per.values()) >= min_count}
        per_category = {c: sum(per.get(c, 0) for per in kept.values()) for c in categories}
        denominator = {c: per_category[c] + smoothing * len(kept) for c in categories}
        log_likelihood = {
            f: {c: round(math.log((per.get(c, 0) + smoothing) / denominator[c]), 4) for c in categories}
            for f, per in kept.items()
        }
        unseen = {c: round(math.log(smoothing / denominator[c]), 4) for c in categories}
        log_prior = {c: round(math.log(totals[c] / len(examples)), 4) for c in categories}
        return cls(log_prior, log_likelihood, unseen)

    def predict(self, feats: set[str]) -> tuple[str, float, list[str]]:
        """Best category, its probability, and the known features that pointed to it most strongly."""
        known = [f for f in feats if f in self.log_likelihood]
        scores = {c: p + sum(self.log_likelihood[f][c] for f in known) for c, p in self.log_prior.items()}
        best = max(scores, key=scores.__getitem__)
        top = max(scores.values())
        probability = math.exp(scores[best] - top) / sum(math.exp(s - top) for s in scores.values())

        def lift(f: str) -> float:
            others = [v for c, v in self.log_likelihood[f].items() if c != best]
            return self.log_likelihood[f][best] - max(others, default=0.0)

        telling = sorted((f for f in known if lift(f) > 0), key=lift, reverse=True)[:4]
        return best, probability, telling

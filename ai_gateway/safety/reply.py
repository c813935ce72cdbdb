"""Pupil answers: checks the model's reply for content a child must not see before it is shown."""

from pydantic import BaseModel

from .lexicon import CueSet, load_lexicon
from .semantic import load_for, threshold
from .settings import SafetySettings
from .text import fold

YOUNG_KEY_STAGES = {"EYFS", "KS1", "KS2"}


class ReplyVerdict(BaseModel):
    unsuitable: bool
    category: str
    score: float
    triggers: list[str]
    model_probability: float | None = None  # the semantic model's P(unsuitable); None when the model is off


class PupilReplyChecker:
    def __init__(self, settings: SafetySettings):
        self.settings = settings
        self._groups: dict[str, CueSet] = load_lexicon(settings.data_dir / "reply.yaml")
        # Raises EncoderUnavailable when the model is required but cannot load (fail closed).
        self._model = load_for(settings)

    def assess(self, reply: str, key_stage: str | None = None) -> ReplyVerdict:
        text = fold(reply)
        best, best_score, triggers = "none", 0.0, []
        for category, group in self._groups.items():
            if category == "ks2_strict" and key_stage not in YOUNG_KEY_STAGES:
                continue
            hits = group.hits(text, count_repeats=True)
            score = sum(h.weight for h in hits)
            triggers += [h.describe(category) for h in hits]
            if score > best_score:
                best, best_score = category, score
        unsuitable = best_score >= self.settings.reply_threshold
        category = best if unsuitable else "none"
        p = None
        if self._model is not None:
            s, m = self.settings, self._model
            vec = m.embed(reply)
            p = m.binary("reply", vec)
            cut = threshold(m, "reply", s.reply_model_threshold)
            if key_stage in YOUNG_KEY_STAGES:
                young = s.reply_model_threshold_young
                cut = young if young is not None else max(0.5, cut - 0.1)
            if p >= cut and not unsuitable:
                unsuitable = True
                cats = m.distribution("reply_category", vec)
                category = max(cats, key=cats.__getitem__)
                triggers.append(m.explain("reply_category", vec, p, f"an unsuitable answer ({category})", category))
            else:
                triggers.append(f"semantic model: {p:.2f} like an unsuitable answer (threshold {cut:.2f})")
        return ReplyVerdict(
            unsuitable=unsuitable,
            category=category,
            score=round(best_score, 2),
            triggers=triggers,
            model_probability=None if p is None else round(p, 3),
        )

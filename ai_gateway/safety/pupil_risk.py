"""Pupil check: does a child's prompt disclose harm (DSL alert) or ask for something the AUP forbids (refusal)?"""

import re
from typing import Literal

import yaml
from pydantic import BaseModel

from .lexicon import CueSet, Hit, load_lexicon
from .semantic import load_for, threshold
from .settings import SafetySettings
from .text import Normaliser
from .word_model import WordModel, features

ALERT_CATEGORIES = ("self_harm", "abuse_disclosure", "bullying", "grooming", "radicalisation", "distress")
REFUSE_CATEGORIES = ("filter_bypass", "harmful_request")
YOUNG_KEY_STAGES = {"EYFS", "KS1", "KS2"}
# A request that is only homework about a topic is not a disclosure; a filter bypass for homework is still a bypass.
_HOMEWORK_EXEMPT = {"filter_bypass"}

# "I", "me", "my" next to a worrying phrase: the child is talking about themselves, not the homework topic.
_FIRST_PERSON = re.compile(
    r"\b(?:i|me|mine|myself|we|us|(?:my|our)(?! (?:\w+ )?(?:essay|homework|hw|story|poem|project|coursework"
    r"|debate|poster|presentation|speech|gcse|exam|revision|english|history|science|book|drawing|topic|character"
    r"|assessment|answer|teacher|class|lesson)))\b"
)

# Disclosures the DSL must always look at the same day.
_NEVER_LOW = {"self_harm", "abuse_disclosure", "grooming", "radicalisation"}

Severity = Literal["low", "medium", "high"]


class PupilRiskVerdict(BaseModel):
    category: str
    alert: bool
    refuse: bool
    severity: Severity
    score: float
    triggers: list[str]
    model_probability: float | None = None  # the semantic model's P(alert) (or P(forbidden) for a refusal)


class PupilRiskDetector:
    def __init__(self, settings: SafetySettings):
        self.settings = settings
        path = settings.data_dir / "pupil_risk.yaml"
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        self._normaliser = Normaliser(raw.get("textspeak") or {}, raw.get("emoji") or {})
        self._groups: dict[str, CueSet] = load_lexicon(path)
        self._modifiers: dict[str, CueSet] = load_lexicon(path, section="modifiers")
        model_path = settings.data_dir / "pupil_risk_word_model.json"
        self._word_model = WordModel.load(model_path) if settings.pupil_word_model and model_path.exists() else None
        # Raises EncoderUnavailable when the model is required but cannot load (fail closed).
        self._model = load_for(settings)

    def normalise(self, text: str) -> str:
        return self._normaliser.normalise(text)

    def _word_model_support(
        self, norm: str, scores: dict[str, float], reasons: dict[str, list[str]], reads_safe: set[str]
    ) -> None:
        """Adds the word model's weight to the category it is sure of, if a rule cue has already fired
        and no rule cue in that category reads the prompt as safe (a parent watching, a game, an accident)."""
        s = self.settings
        if self._word_model is None or max(scores.values()) < s.pupil_word_model_gate:
            return
        category, probability, words = self._word_model.predict(features(norm))
        if category in scores and category not in reads_safe and probability >= s.pupil_word_model_probability:
            scores[category] = round(scores[category] + s.pupil_word_model_weight, 2)
            reasons[category].append(
                f"{category}: word model trained on the project's own examples agrees "
                f"(p={probability:.2f}; words: {', '.join(words) or '-'}; +{s.pupil_word_model_weight:g})"
            )

    def _score(self, category: str, text: str, joking: bool, framed: float) -> tuple[float, list[str], bool, bool]:
        """Score, triggers, whether a cue marks it urgent, and whether a cue reads it as safe (a negative weight)."""
        hits: list[Hit] = self._groups[category].hits(text, count_repeats=True)
        gates = [c for c in self._groups[category].cues if "gate" in c.flags]
        if not hits or (gates and not any("gate" in h.cue.flags for h in hits)):
            return 0.0, [], False, False
        serious = any(h.cue.id == "seriousness" for h in hits)
        score, triggers = 0.0, []
        for hit in hits:
            if "hyperbole" in hit.cue.flags and joking and not serious:
                triggers.append(f"{category}: discounted, reads as a joke ('{hit.text.strip()[:40]}')")
                continue
            score += hit.weight
            triggers.append(hit.describe(category))
        first_person = any(_FIRST_PERSON.search(text, max(0, h.start - 30), h.end + 30) for h in hits if h.weight > 0)
        if (
            framed
            and category not in _HOMEWORK_EXEMPT
            and not first_person
            and not any("method" in h.cue.flags for h in hits)
        ):
            score -= framed
            triggers.append(f"{category}: framed as homework or a story (-{framed:g})")
        urgent = any("urgent" in h.cue.flags for h in hits)
        reads_safe = any(h.cue.weight < 0 for h in hits)
        return score, triggers, urgent, reads_safe

    def assess(self, text: str, key_stage: str | None = None) -> PupilRiskVerdict:
        """Rules first; the semantic model can raise an alert or a refusal the rules missed, never lower one."""
        verdict = self._assess_rules(text, key_stage)
        if self._model is None:
            return verdict
        s, m = self.settings, self._model
        vec = m.embed(text)
        p_alert = m.binary("pupil_alert", vec)
        p_forbid = m.binary("pupil_forbidden", vec)
        cats = m.distribution("pupil_category", vec)
        alert_cut = threshold(m, "pupil_alert", s.pupil_alert_model_threshold)
        forbid_cut = threshold(m, "pupil_forbidden", s.pupil_forbidden_model_threshold)
        # What the rules read as harmless (a joke marker, homework framing, a cue with negative weight such as
        # a parent being there) makes a model-only decision need more certainty.
        norm = self._normaliser.normalise(text)
        joking = bool(self._modifiers["joking"].hits(norm))
        homework = bool(self._modifiers["homework"].hits(norm)) and not self._modifiers["real"].hits(norm)
        safe_cue = any(h.cue.weight < 0 for c in ALERT_CATEGORIES for h in self._groups[c].hits(norm))
        if joking or homework or safe_cue:
            alert_cut = max(alert_cut, s.pupil_model_joking_threshold)
        if homework:
            forbid_cut = max(forbid_cut, s.pupil_model_joking_threshold)
        if verdict.alert:
            verdict.model_probability = round(p_alert, 3)
            verdict.triggers.append(f"semantic model: {p_alert:.2f} like a disclosure (rules decided)")
            return verdict
        if p_alert >= alert_cut:
            category = max(ALERT_CATEGORIES, key=lambda c: cats[c])
            if joking or homework or safe_cue:
                verdict.triggers.append(
                    f"semantic model: rules read it as a joke, homework or safe, needed {alert_cut:.2f}"
                )
            severity: Severity = "high" if p_alert >= 0.9 and category in _NEVER_LOW else "medium"
            why = m.explain(
                "pupil_category", vec, p_alert, f"a disclosure ({category}, p={cats[category]:.2f})", category
            )
            return PupilRiskVerdict(
                category=category,
                alert=True,
                refuse=True,
                severity=severity,
                score=verdict.score,
                triggers=[*verdict.triggers, why],
                model_probability=round(p_alert, 3),
            )
        if verdict.refuse:
            verdict.model_probability = round(p_forbid, 3)
            verdict.triggers.append(f"semantic model: {p_forbid:.2f} like a forbidden request (rules decided)")
            return verdict
        if p_forbid >= forbid_cut:
            category = max(REFUSE_CATEGORIES, key=lambda c: cats[c])
            why = m.explain("pupil_category", vec, p_forbid, f"a forbidden request ({category})", category)
            return PupilRiskVerdict(
                category=category,
                alert=False,
                refuse=True,
                severity="low",
                score=verdict.score,
                triggers=[*verdict.triggers, why],
                model_probability=round(p_forbid, 3),
            )
        verdict.model_probability = round(max(p_alert, p_forbid), 3)
        verdict.triggers.append(
            f"semantic model: {p_alert:.2f} like a disclosure (below {alert_cut:.2f}), "
            f"{p_forbid:.2f} like a forbidden request (below {forbid_cut:.2f})"
        )
        return verdict

    def _assess_rules(self, text: str, key_stage: str | None = None) -> PupilRiskVerdict:
        s = self.settings
        norm = self._normaliser.normalise(text)
        mods = {name: group.hits(norm) for name, group in self._modifiers.items()}
        joking = bool(mods["joking"])
        about_me = bool(mods["real"])
        framed = 0.0 if about_me else max((h.cue.weight for h in mods["homework"]), default=0.0)

        scores: dict[str, float] = {}
        reasons: dict[str, list[str]] = {}
        urgent: dict[str, bool] = {}
        reads_safe: set[str] = set()
        for category in ALERT_CATEGORIES + REFUSE_CATEGORIES:
            score, triggers, urgent[category], safe = self._score(category, norm, joking, framed)
            if safe:
                reads_safe.add(category)
            if score >= 1.5 and key_stage in YOUNG_KEY_STAGES and category in ALERT_CATEGORIES:
                score += s.young_child_boost
                triggers.append(f"{category}: young child ({key_stage}, +{s.young_child_boost:g})")
            scores[category], reasons[category] = round(score, 2), triggers
        self._word_model_support(norm, scores, reasons, reads_safe)

        best_alert = max(ALERT_CATEGORIES, key=lambda c: scores[c])
        # Grooming into extremism is reported as radicalisation: that is the referral route (Prevent).
        if best_alert == "grooming" and scores["radicalisation"] >= s.pupil_alert_threshold:
            best_alert = "radicalisation"
        if scores[best_alert] >= s.pupil_alert_threshold:
            score = scores[best_alert]
            # A plan, a method, blackmail or sexual abuse is always high: the DSL needs to act today.
            severity: Severity = "low"
            if score >= s.pupil_high_severity or urgent[best_alert]:
                severity = "high"
            elif score >= s.pupil_alert_threshold + 0.5 or best_alert in _NEVER_LOW:
                severity = "medium"
            return PupilRiskVerdict(
                category=best_alert,
                alert=True,
                refuse=True,
                severity=severity,
                score=score,
                triggers=reasons[best_alert],
            )

        best_refusal = max(REFUSE_CATEGORIES, key=lambda c: scores[c])
        if scores[best_refusal] >= s.pupil_refuse_threshold:
            return PupilRiskVerdict(
                category=best_refusal,
                alert=False,
                refuse=True,
                severity="low",
                score=scores[best_refusal],
                triggers=reasons[best_refusal],
            )

        near = [t for c in ALERT_CATEGORIES + REFUSE_CATEGORIES for t in reasons[c]]
        return PupilRiskVerdict(
            category="none", alert=False, refuse=False, severity="low", score=max(scores.values()), triggers=near
        )

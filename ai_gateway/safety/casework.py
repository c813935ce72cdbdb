"""Staff check: is this request safeguarding casework about a specific child, which the AI must not handle?

AUP item 22: AI must not replace professional judgement, especially in safeguarding. Such a request is
refused whoever asks (the DSL included); general professional use stays allowed.
"""

import re
from collections.abc import Sequence

import yaml
from pydantic import BaseModel

from .lexicon import CueSet, Hit, load_lexicon, total
from .semantic import load_for, threshold
from .settings import SafetySettings
from .text import fold

_NAME = re.compile(r"\b[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?\b")
_INITIALS = re.compile(r"\b(?:[A-Z]\.\s?[A-Z]\.|[A-Z] in \d[A-Z]\b|Child [A-Z]\b)")
_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.? ([A-Z][a-z]+)")
# What follows a child's name when the prompt is about that child: a year group, a possessive, a narrative verb.
_AFTER_NAME = re.compile(
    r"(?:\s*\((?:Y|Yr|Year|yr|year|y|Reception|Nursery|reception|nursery|\d)|,? (?:in )?(?:Y|Yr|Year|year|yr) ?\d+"
    r"|,? (?:in )?(?:Reception|Nursery|reception|nursery)"
    r"|,? (?:in )?\d+[A-Z]\w*\b|,? (?:aged? )?\d+\b|'s |(?<=s)' |’s |s (?:dad|mum|entry|legs)"
    r"| (?:in|from) (?:my|our|his|her|the) | [A-Z]\.? (?:in |from |\(|,)"
    r"|,? (?:who|whose|has|had|is|was|keeps|kept|came|told|said|says|showed|drew|wrote"
    r"|arrived|arrives|turns|comes|wears|seemed|seems|mentioned|left|went|got|gets|hasn|isn|won|doesn|didn|looked|looks|stays|stayed|lives|lived|goes))"
)


# Before a child's full name: "for Maisie Doyle", "on Jordan Price", or inside a year-group bracket "(Y1, Oscar)".
_BEFORE_FULL_NAME = re.compile(r"\b(?:for|on|about|re|regarding|concerning|with|from|of)\s$")
_FULL_NAME_AFTER = re.compile(r"^ (?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.?)(?![\w])")
_IN_YEAR_BRACKET = re.compile(r"\((?:Y|Yr|Year|year)\s?\d+,\s?$|\((?:Reception|Nursery),\s?$")
# A child described in a hypothetical or generic question is not a specific real child.
_HYPOTHETICAL_SUBJECT = {"indefinite_child"}


class CaseworkVerdict(BaseModel):
    is_casework: bool
    score: float
    triggers: list[str]
    model_probability: float | None = None  # the semantic model's P(casework); None when the model is off


class SafeguardingCaseworkDetector:
    """Scores subject (who), concern (what happened), action (what the AI is asked) and framing."""

    def __init__(self, settings: SafetySettings):
        self.settings = settings
        path = settings.data_dir / "casework.yaml"
        self._groups: dict[str, CueSet] = load_lexicon(path)
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        self._not_names = {str(w).lower() for w in raw.get("not_names", [])}
        # Raises EncoderUnavailable when the model is required but cannot load (fail closed).
        self._model = load_for(settings)

    def _named_children(self, text: str) -> list[str]:
        staff = {m.group(1) for m in _TITLE.finditer(text)}
        names = []
        for match in _NAME.finditer(text):
            word = match.group(0)
            if word in staff or word.lower() in self._not_names:
                continue
            before, after = text[max(0, match.start() - 14) : match.start()], text[match.end() : match.end() + 25]
            if (
                _AFTER_NAME.match(text, match.end(), match.end() + 25)
                or (_BEFORE_FULL_NAME.search(before) and _FULL_NAME_AFTER.match(after))
                or _IN_YEAR_BRACKET.search(before)
            ):
                names.append(word)
        names += [m.group(0) for m in _INITIALS.finditer(text)]
        return names

    def assess(self, text: str, named_people: Sequence[str] = ()) -> CaseworkVerdict:
        """`named_people`: names the gateway knows are people (the school's roster, name recognition)."""
        s = self.settings
        folded = fold(text)
        hits = {name: group.hits(folded) for name, group in self._groups.items()}
        overrides = {h.cue.id for h in hits["override"]}
        framing: list[Hit] = [
            h
            for h in hits["framing"]
            if not (h.cue.id in {"fictional", "generic"} and "real_case" in overrides)
            and not (h.cue.id == "blank" and "filled_in" in overrides)
        ]

        if any(h.cue.id == "generic" for h in framing):
            hits["subject"] = [h for h in hits["subject"] if h.cue.id not in _HYPOTHETICAL_SUBJECT]

        triggers: list[str] = []
        names = self._named_children(text) + [n for n in named_people if n in text]
        subject = total(hits["subject"], cap=2.5)
        if names:
            subject = min(subject + 1.5, 3.0)
            triggers.append(f"subject: named child ({', '.join(dict.fromkeys(names))}, +1.5)")
        if _TITLE.search(text):
            subject += 0.5
            triggers.append("subject: named member of staff (+0.5)")
        concern = total(hits["concern"], cap=4.0)
        action = total(hits["action"], cap=3.0)
        cancel = total(framing)

        triggers += [h.describe("subject") for h in hits["subject"]]
        triggers += [h.describe("concern") for h in hits["concern"]]
        triggers += [h.describe("action") for h in hits["action"]]
        triggers += [h.describe("framing") for h in framing]
        score = round(subject + concern + action - cancel, 2)

        by_rules = (
            subject >= s.casework_min_subject and concern >= s.casework_min_concern and score >= s.casework_threshold
        )
        if not by_rules and subject < s.casework_min_subject:
            triggers.append("no specific real child identified")
        is_casework, p = by_rules, None
        if self._model is not None:
            vec = self._model.embed(text)
            p = self._model.binary("casework", vec)
            cut = threshold(self._model, "casework", s.casework_model_threshold)
            # The rules read it as fictional, blank, generic or aggregate: the model alone must be surer.
            framed = [h.cue.id for h in framing if h.cue.weight > 0]
            if framed:
                cut = max(cut, s.casework_model_framed_threshold)
                triggers.append(f"semantic model: framed as {', '.join(dict.fromkeys(framed))}, needs {cut:.2f}")
            # Casework is about a safeguarding concern: with none the rules can name (a parent ringing
            # about a dentist appointment), a named child alone must not make the model decide.
            if concern <= 0:
                cut = max(cut, s.casework_model_no_concern_threshold)
                triggers.append(f"semantic model: no safeguarding concern named, needs {cut:.2f}")
            if p >= cut:
                is_casework = True
                triggers.append(self._model.explain("casework", vec, p, "safeguarding casework about a specific child"))
            elif by_rules:
                triggers.append(f"semantic model: {p:.2f} like casework (below {cut:.2f}; the rules decided)")
            else:
                triggers.append(f"semantic model: {p:.2f} like casework (below {cut:.2f})")
            # The score stays the rules' sum; the model's probability is reported alongside in the trigger.
        probability = None if p is None else round(p, 3)
        return CaseworkVerdict(is_casework=is_casework, score=score, triggers=triggers, model_probability=probability)

"""Health conditions, diagnoses, medication, allergies and special educational needs: special
category data. Found from an editable vocabulary (redaction/data/health.yaml)."""

import re
from pathlib import Path

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redaction.vocabulary import PhraseMatcher, load_yaml_lists


class HealthRecognizer(LocalRecognizer):
    SCORE = 0.8
    # Health words only count when the text is about someone: a name was found, or it says so.
    ABOUT_A_PERSON = re.compile(
        r"\b(?:he|she|his|her|him|hers|they're|pupil's|child's|son|daughter|my (?:son|daughter|child|"
        r"brother|sister|mum|dad|nan)|I (?:have|had|get|take|use|am|was|suffer|need)|I'm|I've|mine|"
        r"diagnos\w*|medication|medical|prescribed|carries|takes)\b", re.IGNORECASE)

    def __init__(self, vocabulary_path: Path, supported_entity: str = "HEALTH"):
        self.vocabulary_path = vocabulary_path
        super().__init__(supported_entities=[supported_entity], name="HealthRecognizer")

    def load(self) -> None:
        data = load_yaml_lists(self.vocabulary_path)
        terms = [t for key in ("conditions", "sen", "medicines") for t in (data.get(key) or [])]
        procedures = data.get("body_part_procedures") or {}
        terms += [f"{p} {q}" for p in procedures.get("parts", []) for q in procedures.get("procedures", [])]
        allergens = [re.escape(a) for a in sorted(data.get("allergens") or [], key=len, reverse=True)]
        allergy_words = [re.escape(w) for w in data.get("allergy_words") or []]
        self.terms = PhraseMatcher(terms)
        allergen = rf"(?:{'|'.join(allergens)})"
        # "peanut and tree nut allergy", "allergic to sesame and egg", "severe nut allergy"
        self.allergy = re.compile(
            rf"\b(?:(?:mild|severe|life-threatening)\s+)?{allergen}(?:(?:\s*,\s*|\s+(?:and|or|&)\s+){allergen})*"
            rf"\s+(?:{'|'.join(allergy_words)})\b"
            rf"|\b(?:allergic|allergy)\s+to\s+{allergen}(?:(?:\s*,\s*|\s+(?:and|or|&)\s+){allergen})*\b",
            re.IGNORECASE)
        self.allergen_alone = re.compile(rf"\b{allergen}\b", re.IGNORECASE)
        self.mentions_allergy = re.compile(rf"\b(?:{'|'.join(allergy_words)}|epi-?pens?|anaphyla\w*)\b",
                                           re.IGNORECASE)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        spans = [m.span() for m in self.allergy.finditer(text)]
        spans += self.terms.spans(text)
        if self.mentions_allergy.search(text):
            spans += [m.span() for m in self.allergen_alone.finditer(text)]
        return [RecognizerResult(self.supported_entities[0], start, end, self.SCORE,
                                 analysis_explanation=AnalysisExplanation(self.name, self.SCORE),
                                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                       RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
                for start, end in spans]

    def is_about_a_person(self, text: str) -> bool:
        return bool(self.ABOUT_A_PERSON.search(text))

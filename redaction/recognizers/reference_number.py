"""Reference numbers that identify a person's case or document, written after the word that says
so: "reference FSM-26-118834", "passport (no. 0123456789)", "DBS certificate 001234567890".
At least five digits, so "Room 12" or "Year 2026" are not taken."""

import re

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


class ReferenceNumberRecognizer(LocalRecognizer):
    SCORE = 0.7
    LABELS = ("ref|reference|passport|certificate|cert|licence|license|driving licence|policy|case|claim|"
              "application|membership|booking|order|invoice|ticket|dbs|crime|incident|visa|permit|"
              "student id|staff id|id|badge")
    PATTERN = re.compile(
        rf"\b(?:{LABELS})\b[\s(:.#-]*(?:no\.?|number|num|ref)?[\s:.#-]*(?:is|was)?\s*"
        r"((?=(?:[A-Z/-]*\d){5})[A-Z0-9][A-Z0-9/-]*[A-Z0-9])\b",
        re.IGNORECASE)

    def __init__(self, supported_entity: str = "REFERENCE_NUMBER"):
        super().__init__(supported_entities=[supported_entity], name="ReferenceNumberRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        return [RecognizerResult(self.supported_entities[0], m.start(1), m.end(1), self.SCORE,
                                 analysis_explanation=AnalysisExplanation(self.name, self.SCORE),
                                 recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                       RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
                for m in self.PATTERN.finditer(text)]

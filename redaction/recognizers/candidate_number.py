"""Exam candidate numbers (four digits): only where the text says, just before, that this is a
candidate number ("Cand No 6012", "candidate number: 6012"). A year nearby is not one; a table
column of them is TableColumnRecognizer's."""

import re

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


class CandidateNumberRecognizer(LocalRecognizer):
    SCORE = 0.8
    PATTERN = re.compile(r"\bcand(?:idate)?\.?\s*(?:no\.?|number|num|#)?\s*(?:is|was|[:=-])?\s*(\d{4})\b",
                         re.IGNORECASE)

    def __init__(self, supported_entity: str = "CANDIDATE_NUMBER"):
        super().__init__(supported_entities=[supported_entity], name="CandidateNumberRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        return [RecognizerResult(self.supported_entities[0], m.start(1), m.end(1), self.SCORE,
                                 analysis_explanation=AnalysisExplanation(self.name, self.SCORE),
                                 recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                       RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
                for m in self.PATTERN.finditer(text)]

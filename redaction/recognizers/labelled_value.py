"""The shape shared by identifiers found only after the label that names them ("Cand No 6012")."""

import re

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


class LabelledValueRecognizer(LocalRecognizer):
    """A subclass sets PATTERN (group 1 is the value, without its label), SCORE and ENTITY."""

    PATTERN: re.Pattern[str]
    SCORE: float
    ENTITY: str

    def __init__(self, supported_entity: str | None = None):
        super().__init__(supported_entities=[supported_entity or self.ENTITY], name=type(self).__name__)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        return [RecognizerResult(self.supported_entities[0], m.start(1), m.end(1), self.SCORE,
                                 analysis_explanation=AnalysisExplanation(self.name, self.SCORE),
                                 recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                       RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
                for m in self.PATTERN.finditer(text)]

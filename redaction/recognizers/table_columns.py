"""Cells of a pasted table, judged by their column heading: dates under "DOB" are dates of birth,
numbers under "Cand No", "Adno", "FSM ref" or "DBS cert" are identifiers, text under "Name" or
"Contact" is a person, digits under "Phone" are a phone number however they are written."""

import re

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redaction.tables import table_cells


class TableColumnRecognizer(LocalRecognizer):
    SCORE = 0.85
    # (entity, heading pattern, what a cell must look like); the first heading that matches wins.
    COLUMNS = [
        ("DATE_OF_BIRTH", r"\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|birthday|born)\b", r".*\d.*"),
        ("PHONE", r"\b(?:phone|mobile|tel|telephone|contact (?:no|number))\b", r"[+\d()\s.-]*(?:\d[\s.-]*){9,}"),
        ("CANDIDATE_NUMBER", r"\bcand(?:idate)?\b", r"[A-Za-z]{0,3}\d[\d\s/-]*"),
        ("ADMISSION_NUMBER", r"\b(?:adno|adm(?:ission)?s?\.? ?(?:no|number)|admission)\b", r"[A-Za-z]{0,3}\d[\d\s/-]*"),
        ("REFERENCE_NUMBER",
         r"^(?!.*\bdate\b).*\b(?:ref|reference|id|no|num|number|cert|certificate|passport|dbs|account|case)\b",
         r"(?=(?:\D*\d){3})[A-Za-z0-9][A-Za-z0-9 /.-]*"),
        ("HEALTH", r"\b(?:medical|medication|medicines?|conditions?|diagnosis|allerg(?:y|ies)|health|sen|send|"
                   r"needs?|dietary)\b", r"(?!(?:none|nil|no|n/?a|nka|nkda)\b)[^\W\d_].*"),
        # Its own type, so Presidio does not fold it into an NER PERSON that runs over two cells.
        ("PERSON_IN_TABLE",
         r"^(?:(?:pupil|student|child|contact|parent|carer|guardian|staff|teacher|tutor|mother|father|"
         r"emergency contact|legal|preferred|parent/carer)(?:'?s)? ?)?(?:full |first |last )?"
         r"(?:name|forenames?|surname|pupil|student|child|contact|parent|carer|guardian|mother|father|"
         r"teacher|tutor|parent/carer)$",
         r"[^\W\d_][^\d]*"),
    ]

    def __init__(self):
        self.columns = [(entity, re.compile(heading, re.IGNORECASE), re.compile(cell))
                        for entity, heading, cell in self.COLUMNS]
        super().__init__(supported_entities=sorted({c[0] for c in self.COLUMNS}), name="TableColumnRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results = []
        for cell in table_cells(text):
            for entity, heading, shape in self.columns:
                if heading.search(cell.heading):
                    if shape.fullmatch(text[cell.start:cell.end]):
                        results.append(self._result(entity, cell.start, cell.end))
                    break
        return results

    def _result(self, entity: str, start: int, end: int) -> RecognizerResult:
        return RecognizerResult(entity, start, end, self.SCORE,
                                analysis_explanation=AnalysisExplanation(self.name, self.SCORE),
                                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                      RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})

"""Exam candidate numbers (four digits): only where the text says, just before, that this is a
candidate number ("Cand No 6012", "candidate number: 6012"). A year nearby is not one; a table
column of them is TableColumnRecognizer's."""

import re

from redaction.recognizers.labelled_value import LabelledValueRecognizer


class CandidateNumberRecognizer(LabelledValueRecognizer):
    ENTITY = "CANDIDATE_NUMBER"
    SCORE = 0.8
    PATTERN = re.compile(r"\bcand(?:idate)?\.?\s*(?:no\.?|number|num|#)?\s*(?:is|was|[:=-])?\s*(\d{4})\b",
                         re.IGNORECASE)

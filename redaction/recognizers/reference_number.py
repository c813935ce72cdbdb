"""Reference numbers that identify a person's case or document, written after the word that says
so: "reference FSM-26-118834", "passport (no. 0123456789)", "DBS certificate 001234567890".
At least five digits, so "Room 12" or "Year 2026" are not taken."""

import re

from redaction.recognizers.labelled_value import LabelledValueRecognizer


class ReferenceNumberRecognizer(LabelledValueRecognizer):
    ENTITY = "REFERENCE_NUMBER"
    SCORE = 0.7
    LABELS = ("ref|reference|passport|certificate|cert|licence|license|driving licence|policy|case|claim|"
              "application|membership|booking|order|invoice|ticket|dbs|crime|incident|visa|permit|"
              "student id|staff id|id|badge")
    PATTERN = re.compile(
        rf"\b(?:{LABELS})\b[\s(:.#-]*(?:no\.?|number|num|ref)?[\s:.#-]*(?:is|was)?\s*"
        r"((?=(?:[A-Z/-]*\d){5})[A-Z0-9][A-Z0-9/-]*[A-Z0-9])\b",
        re.IGNORECASE)

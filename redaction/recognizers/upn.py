"""Unique Pupil Number (UPN): check letter + 12 characters; temporary UPNs end in a letter.

The check letter is DfE's (python-stdnum computes it). The local-authority list is not enforced:
authorities are renumbered and test data uses made-up ones."""

from presidio_analyzer import Pattern, PatternRecognizer
from stdnum.gb import upn


class UpnRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("UPN", r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b", 0.5)]
    CONTEXT = ["upn", "pupil number", "unique pupil number"]

    def __init__(self, supported_entity: str = "UPN"):
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS, context=self.CONTEXT,
                         name="UpnRecognizer")

    def validate_result(self, pattern_text: str) -> bool:
        number = pattern_text.upper()
        return upn.calc_check_digit(number[1:]) == number[0]

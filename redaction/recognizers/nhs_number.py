"""NHS number: ten digits, the last a mod-11 check digit."""

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer
from stdnum.gb import nhs


class NhsNumberRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("NHS number", r"\b\d{3}[- ]?\d{3}[- ]?\d{4}\b", 0.5)]
    CONTEXT = ["nhs", "health", "hospital", "gp", "nurse"]

    def __init__(self, supported_entity: str = "NHS_NUMBER"):
        self.replacement_pairs = [("-", ""), (" ", "")]
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS, context=self.CONTEXT,
                         name="NhsNumberRecognizer")

    def validate_result(self, pattern_text: str) -> bool:
        return nhs.is_valid(EntityRecognizer.sanitize_value(pattern_text, self.replacement_pairs))

"""National Insurance number: two letters, six digits, a suffix A-D."""

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer


class NationalInsuranceRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("NI number", r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", 0.5)]
    CONTEXT = ["national insurance", "ni", "nino", "insurance"]
    INVALID_PREFIXES = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
    INVALID_FIRST = set("DFIQUV")
    INVALID_SECOND = set("DFIOQUV")

    def __init__(self, supported_entity: str = "NI_NUMBER"):
        self.replacement_pairs = [(" ", "")]
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS, context=self.CONTEXT,
                         name="NationalInsuranceRecognizer")

    def validate_result(self, pattern_text: str) -> bool:
        prefix = EntityRecognizer.sanitize_value(pattern_text, self.replacement_pairs)[:2].upper()
        return (prefix not in self.INVALID_PREFIXES and prefix[0] not in self.INVALID_FIRST
                and prefix[1] not in self.INVALID_SECOND)

"""Unique Learner Number (ULN): ten digits, the last a check digit (weights 10..2, mod 11)."""

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer


class UlnRecognizer(PatternRecognizer):
    PATTERNS = [Pattern("ULN", r"\b[1-9]\d{3} ?\d{3} ?\d{3}\b", 0.5)]
    CONTEXT = ["uln", "learner", "unique learner number"]

    def __init__(self, supported_entity: str = "ULN"):
        self.replacement_pairs = [(" ", "")]
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS, context=self.CONTEXT,
                         name="UlnRecognizer")

    def validate_result(self, pattern_text: str) -> bool:
        digits = EntityRecognizer.sanitize_value(pattern_text, self.replacement_pairs)
        remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
        return remainder != 0 and 10 - remainder == int(digits[9])

"""Bank sort codes and account numbers: only where the text says that is what they are."""

from presidio_analyzer import Pattern, PatternRecognizer


class BankDetailsRecognizer(PatternRecognizer):
    PATTERNS = [
        Pattern("sort code", r"\b\d{2}[- ]\d{2}[- ]\d{2}\b", 0.05),
        Pattern("account number", r"\b\d{8}\b", 0.05),
    ]
    CONTEXT = ["sort", "account", "acc", "bank", "iban", "bacs"]

    def __init__(self, supported_entity: str = "BANK_DETAILS"):
        super().__init__(supported_entity=supported_entity, patterns=self.PATTERNS, context=self.CONTEXT,
                         name="BankDetailsRecognizer")
